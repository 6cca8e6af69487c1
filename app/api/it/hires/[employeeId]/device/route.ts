import { db } from '@/lib/db';
import { registerDevice } from '@/lib/hires/register-device';
import { ok } from '@/lib/http/problem';
import { RegisterDeviceBody } from '@/lib/staff/bodies';
import { hireActionRequest } from '@/lib/staff/hire-action';
import { refusal } from '@/lib/staff/outcomes';

/** IT registers or replaces the hire's device by its certificate (a sensitive action). */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ employeeId: string }> },
) {
  const action = await hireActionRequest(request, (await params).employeeId, 'device.register', {
    schema: RegisterDeviceBody,
    maxBytes: 16 * 1024,
  });
  if (!action.ok) return action.response;
  const { auth, subject, data } = action;
  const result = await registerDevice(
    db(),
    { employeeId: subject.employeeId, serial: data.serial, certificatePem: data.certificatePem },
    { actor: { type: 'user', id: auth.staff.id }, at: auth.at, request: auth.context },
  );
  if (!result.ok) return refusal(result);
  return ok({
    serial: result.device.serial,
    fingerprint: result.device.fingerprint,
    replaced: result.replaced,
  });
}
