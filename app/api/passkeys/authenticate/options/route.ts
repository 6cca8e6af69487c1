import { MAX_BODY_BYTES } from '@/lib/enrollment/policy';
import { relyingParty } from '@/lib/passkeys/relying-party';
import { ok } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { passkeyAuthenticationOptions } from '@/lib/passkeys/authentication';
import { EmptyBody } from '@/lib/passkeys/schemas';

/** Options for signing in with a discoverable passkey (no username). */
export async function POST(request: Request) {
  const body = await parseJson(request, EmptyBody, MAX_BODY_BYTES);
  if (!body.ok) return body.response;
  return ok(await passkeyAuthenticationOptions({ rp: relyingParty(), at: new Date() }));
}
