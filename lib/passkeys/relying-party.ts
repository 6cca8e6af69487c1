import 'server-only';
import { env } from '@/lib/env';

export type RelyingParty = { rpId: string; origin: string };

/** The WebAuthn relying party is the portal's public origin (FIRSTKEY_ORIGIN). */
export function relyingParty(): RelyingParty {
  const config = env();
  return { rpId: config.rpId, origin: config.origin };
}
