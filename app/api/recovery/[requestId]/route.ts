import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { ok } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { decideRecovery } from '@/lib/recovery/recovery';
import { DecideRecoveryBody } from '@/lib/staff/bodies';
import { refusal } from '@/lib/staff/outcomes';
import { authorizeRequest } from '@/lib/staff/request-auth';

/**
 * The second person approves (issuing the device-bound link) or declines a recovery request; the one
 * who asked may withdraw it. The answer says where an approved link went — never the link itself.
 */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ requestId: string }> },
) {
  const auth = await authorizeRequest(request, 'recovery.decide');
  if (!auth.ok) return auth.response;
  const body = await parseJson(request, DecideRecoveryBody, 1024);
  if (!body.ok) return body.response;
  const result = await decideRecovery(
    db(),
    { requestId: (await params).requestId, decision: body.data.decision, origin: env().origin },
    { approver: auth.staff, at: auth.at, request: auth.context },
  );
  if (!result.ok) return refusal(result);
  if (result.decision !== 'approved') return ok({ decision: result.decision });
  const { handover } = result;
  return ok({
    decision: 'approved',
    handover:
      handover.to === 'mdm'
        ? { to: 'mdm', deviceSerial: handover.deviceSerial }
        : {
            to: 'requester',
            requester: handover.requester,
            deviceSerial: handover.deviceSerial,
            expiresAt: handover.expiresAt.toISOString(),
          },
  });
}
