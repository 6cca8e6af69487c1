import { db } from '@/lib/db';
import { ok } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { removeOwnPasskey } from '@/lib/passkeys/account';
import { EmptyBody } from '@/lib/passkeys/schemas';
import { refusal } from '@/lib/staff/outcomes';
import { authorizeRequest } from '@/lib/staff/request-auth';

/** The signed-in person removes one of their passkeys (never the last; a fresh assertion needed). */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ passkeyId: string }> },
) {
  const auth = await authorizeRequest(request, 'own_passkeys.change');
  if (!auth.ok) return auth.response;
  const body = await parseJson(request, EmptyBody, 1024);
  if (!body.ok) return body.response;
  const result = await removeOwnPasskey(
    db(),
    auth.staff,
    { passkeyId: (await params).passkeyId },
    { at: auth.at, request: auth.context },
  );
  if (!result.ok) return refusal(result);
  return ok({ removed: true });
}
