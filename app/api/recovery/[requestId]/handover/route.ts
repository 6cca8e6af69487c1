import { db } from '@/lib/db';
import { linkHandOver } from '@/lib/enrollment/hand-over';
import { ok } from '@/lib/http/problem';
import { takeRecoveryHandover } from '@/lib/recovery/handover';
import { refusal } from '@/lib/staff/outcomes';
import { authorizeRequest } from '@/lib/staff/request-auth';

/**
 * The IT member who asked for a recovery takes its approved link to hand it over: shown once, with a
 * QR code for the laptop's camera, then gone. A sensitive action.
 */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ requestId: string }> },
) {
  const auth = await authorizeRequest(request, 'recovery.handover');
  if (!auth.ok) return auth.response;
  const result = await takeRecoveryHandover(
    db(),
    { requestId: (await params).requestId },
    { staff: auth.staff, at: auth.at, request: auth.context },
  );
  if (!result.ok) return refusal(result);
  return ok(await linkHandOver(result));
}
