import { db } from '@/lib/db';
import { ok } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { RenamePasskeyBody, renameOwnPasskey } from '@/lib/passkeys/account';
import { refusal } from '@/lib/staff/outcomes';
import { authorizeRequest } from '@/lib/staff/request-auth';

/** The signed-in person renames one of their passkeys. */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ passkeyId: string }> },
) {
  const auth = await authorizeRequest(request, 'own_passkeys.rename');
  if (!auth.ok) return auth.response;
  const body = await parseJson(request, RenamePasskeyBody, 1024);
  if (!body.ok) return body.response;
  const result = await renameOwnPasskey(
    db(),
    auth.staff,
    { passkeyId: (await params).passkeyId, name: body.data.name },
    { at: auth.at, request: auth.context },
  );
  if (!result.ok) return refusal(result);
  return ok({ renamed: true });
}
