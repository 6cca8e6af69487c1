import { db } from '@/lib/db';
import { ok } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { backupPasskeyOptions } from '@/lib/passkeys/account';
import { relyingParty } from '@/lib/passkeys/relying-party';
import { EmptyBody } from '@/lib/passkeys/schemas';
import { authorizeRequest } from '@/lib/staff/request-auth';

/** Registration options for a backup passkey of the signed-in person (a fresh assertion needed). */
export async function POST(request: Request) {
  const auth = await authorizeRequest(request, 'own_passkeys.change');
  if (!auth.ok) return auth.response;
  const body = await parseJson(request, EmptyBody, 1024);
  if (!body.ok) return body.response;
  return ok(await backupPasskeyOptions(db(), auth.staff, { rp: relyingParty(), at: auth.at }));
}
