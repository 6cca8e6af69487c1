import 'server-only';
import QRCode from 'qrcode';
import type { IssuedLink } from '@/lib/enrollment/issue-link';

/** What the console shows once to whoever hands a link over: the URL, its window, and a QR code. */
export type LinkHandOver = {
  url: string;
  notBefore: string;
  expiresAt: string;
  deviceSerial: string;
  qrSvg: string;
};

/** The hand-over of a link just issued or just released (a recovery's): the one place it is drawn. */
export async function linkHandOver(
  link: Pick<IssuedLink, 'url' | 'notBefore' | 'expiresAt' | 'deviceSerial'>,
): Promise<LinkHandOver> {
  return {
    url: link.url,
    notBefore: link.notBefore.toISOString(),
    expiresAt: link.expiresAt.toISOString(),
    deviceSerial: link.deviceSerial,
    qrSvg: await QRCode.toString(link.url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
  };
}
