import QRCode from 'qrcode';
import { db } from '@/lib/db';
import { issueLink } from '@/lib/enrollment/issue-link';
import { env } from '@/lib/env';
import { findSubject } from '@/lib/hires/find-subject';
import { ok, problem } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { IssueLinkBody } from '@/lib/staff/bodies';
import { authorizeRequest } from '@/lib/staff/request-auth';

/**
 * IT issues (or reissues) the hire's link. The URL is in this response only — shown once, with a QR
 * code for the laptop's camera; Firstkey never emails it. A sensitive action.
 */
export async function POST(request: Request, { params }: { params: Promise<{ employeeId: string }> }) {
  const subject = await findSubject(db(), (await params).employeeId);
  const auth = await authorizeRequest(request, 'link.issue', { subject: subject ?? undefined, sensitive: true });
  if (!auth.ok) return auth.response;
  if (!subject) return problem(404, 'unknown_employee', 'No such hire');
  const body = await parseJson(request, IssueLinkBody, 4 * 1024);
  if (!body.ok) return body.response;
  const result = await issueLink(
    db(),
    { employeeId: subject.employeeId, ttlMs: body.data.ttlMinutes === undefined ? undefined : body.data.ttlMinutes * 60_000, reason: body.data.reason },
    { actor: { type: 'user', id: auth.staff.id }, at: auth.at, origin: env().origin, request: auth.context },
  );
  if (!result.ok) return problem(409, result.reason, result.message);
  const qrSvg = await QRCode.toString(result.url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return ok({ url: result.url, notBefore: result.notBefore.toISOString(), expiresAt: result.expiresAt.toISOString(), deviceSerial: result.deviceSerial, qrSvg });
}
