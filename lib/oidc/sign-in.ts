import 'server-only';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { type Db, writeTransaction } from '@/lib/db';
import type { RelyingParty } from '@/lib/passkeys/relying-party';
import { verifyPasskeyAssertion } from '@/lib/passkeys/authentication';
import { APP_SIGN_IN_MESSAGES, type AppSignInRefusal } from '@/lib/oidc/messages';
import { passkeyAcr, passkeyAmr } from '@/lib/oidc/policy';
import { subjectFor } from '@/lib/oidc/subject';

// Signing in to an app = Firstkey's passkey sign-in (discoverable credential, user verification
// required, nothing to type), then the rules for who may use it to open an app.

export type AppLogin = { accountId: string; amr: string[]; acr: string; ts: number };

export type AppSignInResult =
  | { ok: true; userId: string; login: AppLogin }
  | { ok: false; reason: AppSignInRefusal; message: string };

export async function passkeySignInToApp(
  db: Db,
  response: AuthenticationResponseJSON,
  context: { rp: RelyingParty; at: Date; request: RequestContext; clientId: string },
): Promise<AppSignInResult> {
  const { at, request, clientId } = context;
  const refuse = async (
    reason: AppSignInRefusal,
    userId?: string,
    seen?: string,
  ): Promise<AppSignInResult> => {
    await writeTransaction(db, (tx) =>
      appendAudit(tx, {
        at,
        actor: userId ? { type: 'user', id: userId } : { type: 'anonymous' },
        action: 'oidc_sign_in',
        subject: { type: 'oidc_client', id: clientId },
        userId,
        request,
        result: 'denied',
        details: { client: clientId, reason },
      }),
    );
    const { message } = APP_SIGN_IN_MESSAGES[reason];
    return { ok: false, reason, message: seen ? `${message} (${seen})` : message };
  };
  // Leavers and removed passkeys are refused here already, in the same words (unknown_passkey).
  const verified = await verifyPasskeyAssertion(db, response, context);
  if (!verified.ok)
    return refuse(
      verified.reason,
      undefined,
      verified.reason === 'verification_failed' ? verified.message : undefined,
    );
  const { user, passkey } = verified.signedIn;
  const person = await db.user.findUniqueOrThrow({
    where: { id: user.id },
    select: { enrollmentState: true },
  });
  // A link redeemed and its passkey not made yet: whoever holds an older passkey is mid-recovery.
  if (person.enrollmentState === 'enrolling') return refuse('enrolling', user.id);
  return {
    ok: true,
    userId: user.id,
    login: {
      accountId: await subjectFor(db, user.id),
      amr: passkeyAmr(passkey),
      acr: passkeyAcr(passkey),
      ts: Math.floor(at.getTime() / 1000),
    },
  };
}
