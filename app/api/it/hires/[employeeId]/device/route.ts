import { db } from '@/lib/db';
import { registerDevice } from '@/lib/devices/register-device';
import { findSubject } from '@/lib/hires/find-subject';
import { ok, problem } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { RegisterDeviceBody } from '@/lib/staff/bodies';
import { authorizeRequest } from '@/lib/staff/request-auth';

/** IT registers or replaces the hire's device by its certificate (a sensitive action). */
export async function POST(request: Request, { params }: { params: Promise<{ employeeId: string }> }) {
  const subject = await findSubject(db(), (await params).employeeId);
  const auth = await authorizeRequest(request, 'device.register', { subject: subject ?? undefined, sensitive: true });
  if (!auth.ok) return auth.response;
  if (!subject) return problem(404, 'unknown_employee', 'No such hire');
  const body = await parseJson(request, RegisterDeviceBody, 16 * 1024);
  if (!body.ok) return body.response;
  const result = await registerDevice(
    db(),
    { employeeId: subject.employeeId, serial: body.data.serial, certificatePem: body.data.certificatePem },
    { actor: { type: 'user', id: auth.staff.id }, at: auth.at, request: auth.context },
  );
  if (!result.ok) return problem(result.reason === 'certificate_in_use' ? 409 : 400, result.reason, result.message);
  return ok({ serial: result.device.serial, fingerprint: result.device.fingerprint, replaced: result.replaced });
}
