import 'server-only';
import crypto from 'node:crypto';
import type * as X509 from '@peculiar/x509';

/**
 * @peculiar/x509 (and reflect-metadata, which it needs first), loaded on first use. Loading it takes
 * about 0.25 s, and every `firstkey` command is a process of its own: the commands that make no
 * certificate (hire add, device register, invite, status…) should not pay for it.
 */
export async function loadX509(): Promise<typeof X509> {
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(crypto.webcrypto as Crypto);
  return x509;
}
