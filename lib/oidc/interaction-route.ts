import 'server-only';
import type { IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { RequestContext } from '@/lib/audit/actor';
import type { Db } from '@/lib/db';
import { FRONT_DOOR_KEY_ENV, PEER_HEADER, readPeerHeader } from '@/lib/devices/front-door';
import { MAX_BODY_BYTES } from '@/lib/enrollment/policy';
import { VerifyAuthenticationBody } from '@/lib/passkeys/schemas';
import type { RelyingParty } from '@/lib/passkeys/relying-party';
import { firstPartyGrant } from '@/lib/oidc/grants';
import { APP_SIGN_IN_MESSAGES, type AppSignInRefusal } from '@/lib/oidc/messages';
import { interactionPath } from '@/lib/oidc/policy';
import { passkeySignInToApp } from '@/lib/oidc/sign-in';

// POST /oidc/interaction/:uid/passkey — the passkey page (app/(public)/oidc/interaction/[uid]) sends
// the assertion here. It runs inside the provider's own Koa app because finishing an interaction
// needs the provider's interaction cookie (bound to this browser), which only the provider reads.

const ROUTE = new RegExp(`^${interactionPath('([A-Za-z0-9_-]{1,64})')}/passkey$`);

/** The peer the front door (server.ts) saw: the address, never a client-supplied header. */
export function requestContextOf(req: IncomingMessage): RequestContext {
  const peer = readPeerHeader(
    String(req.headers[PEER_HEADER] ?? ''),
    process.env[FRONT_DOOR_KEY_ENV],
  );
  const userAgent = req.headers['user-agent'];
  return { ip: peer.ip, userAgent: typeof userAgent === 'string' ? userAgent : null };
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function passkeyInteractionRoute(provider: Provider, db: Db, rp: RelyingParty): Middleware {
  return async (ctx, next) => {
    const match = ROUTE.exec(ctx.path);
    if (!match) return next();
    const refuse = (
      reason: AppSignInRefusal,
      message: string = APP_SIGN_IN_MESSAGES[reason].message,
    ) => {
      const { status, retry, title } = APP_SIGN_IN_MESSAGES[reason];
      ctx.status = status;
      ctx.body = { reason, retry, title, message };
    };
    if (ctx.method !== 'POST') {
      ctx.status = 405;
      return;
    }
    // Only Firstkey's own page may finish a sign-in (the assertion's origin is checked again by WebAuthn).
    if (ctx.get('origin') !== rp.origin || !ctx.is('application/json')) {
      ctx.status = 403;
      ctx.body = {
        reason: 'forbidden',
        message: `Unexpected origin "${ctx.get('origin')}", expected "${rp.origin}"`,
      };
      return;
    }
    const text = await readBody(ctx.req);
    let parsed;
    try {
      parsed = text === null ? null : VerifyAuthenticationBody.safeParse(JSON.parse(text));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) {
      ctx.status = 400;
      ctx.body = { reason: 'malformed', message: 'Expected {"response": <passkey assertion>}' };
      return;
    }

    let interaction;
    try {
      interaction = await provider.interactionDetails(ctx.req, ctx.res);
    } catch (error) {
      if (error instanceof errors.SessionNotFound) return refuse('no_interaction');
      throw error;
    }
    if (interaction.uid !== match[1]) return refuse('no_interaction');
    const clientId = String(interaction.params.client_id);

    const result = await passkeySignInToApp(
      db,
      parsed.data.response as AuthenticationResponseJSON,
      { rp, at: new Date(), request: requestContextOf(ctx.req), clientId },
    );
    if (!result.ok) return refuse(result.reason, result.message);
    const grant = await firstPartyGrant(provider, {
      accountId: result.login.accountId,
      clientId,
      requestedScope:
        typeof interaction.params.scope === 'string' ? interaction.params.scope : undefined,
      existingGrantId: interaction.grantId,
    });
    const redirectTo = await provider.interactionResult(
      ctx.req,
      ctx.res,
      { login: { ...result.login, remember: true }, consent: { grantId: grant.jti } },
      { mergeWithLastSubmission: false },
    );
    ctx.body = { redirectTo };
  };
}
