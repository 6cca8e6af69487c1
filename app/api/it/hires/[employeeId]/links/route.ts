import { db } from '@/lib/db';
import { linkHandOver } from '@/lib/enrollment/hand-over';
import { issueLink } from '@/lib/enrollment/issue-link';
import { env } from '@/lib/env';
import { ok } from '@/lib/http/problem';
import { IssueLinkBody } from '@/lib/staff/bodies';
import { hireActionRequest } from '@/lib/staff/hire-action';
import { refusal } from '@/lib/staff/outcomes';

/**
 * IT issues (or reissues) the hire's link. The URL is in this response only — shown once, with a QR
 * code for the laptop's camera; Firstkey never emails it. A sensitive action.
 */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ employeeId: string }> },
) {
  const action = await hireActionRequest(request, (await params).employeeId, 'link.issue', {
    schema: IssueLinkBody,
    maxBytes: 4 * 1024,
  });
  if (!action.ok) return action.response;
  const { auth, subject, data } = action;
  const result = await issueLink(
    db(),
    {
      employeeId: subject.employeeId,
      ttlMs: data.ttlMinutes === undefined ? undefined : data.ttlMinutes * 60_000,
      reason: data.reason,
    },
    {
      actor: { type: 'user', id: auth.staff.id },
      at: auth.at,
      origin: env().origin,
      request: auth.context,
    },
  );
  if (!result.ok) return refusal(result);
  return ok(await linkHandOver(result));
}
