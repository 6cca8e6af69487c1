import { db } from '@/lib/db';
import { ok } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { PasskeyPolicyInput, setPasskeyPolicy } from '@/lib/passkeys/policy';
import { refusal } from '@/lib/staff/outcomes';
import { authorizeRequest } from '@/lib/staff/request-auth';

/** IT replaces the passkey policy (a sensitive action), audited with before and after. */
export async function POST(request: Request) {
  const auth = await authorizeRequest(request, 'policy.change');
  if (!auth.ok) return auth.response;
  const body = await parseJson(request, PasskeyPolicyInput, 16 * 1024);
  if (!body.ok) return body.response;
  const result = await setPasskeyPolicy(db(), body.data, {
    actor: { type: 'user', id: auth.staff.id },
    at: auth.at,
    request: auth.context,
  });
  if (!result.ok) return refusal(result);
  return ok({ policy: result.after, changed: result.changed });
}
