import { decodeClientDataJSON } from '@simplewebauthn/server/helpers';
import { z } from 'zod';

// The client data a browser signs in both ceremonies (WebAuthn L3 §5.8.1), read for the checks we
// make ourselves. @simplewebauthn/server verifies type, challenge and origin; the rest is ours.

const ClientData = z.object({
  challenge: z.string().min(1),
  crossOrigin: z.boolean().optional(),
  topOrigin: z.string().optional(),
});

export type ClientData = z.infer<typeof ClientData>;

/** The client data of a response, or null when it is not readable JSON of the right shape. */
export function readClientData(clientDataJSON: string): ClientData | null {
  try {
    const parsed = ClientData.safeParse(decodeClientDataJSON(clientDataJSON));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Firstkey is never embedded in another site's page, so a ceremony run inside a cross-origin iframe is
 * refused: WebAuthn L3 §7.1 steps 10–11 (registration) and §7.2 steps 13–14 (authentication) leave it
 * to the relying party to expect framing, and we do not. A framing page could otherwise get someone to
 * create or use a Firstkey passkey without ever seeing Firstkey's address bar. @simplewebauthn/server 14
 * checks neither field in registration, and in authentication accepts crossOrigin without a topOrigin
 * (what Safari sends). Returns what was seen, or null when the ceremony ran in a top-level page.
 */
export function embeddingProblem(clientData: ClientData): string | null {
  if (clientData.crossOrigin !== true && clientData.topOrigin === undefined) return null;
  const seen = `crossOrigin ${String(clientData.crossOrigin ?? false)}, topOrigin "${clientData.topOrigin ?? '(none)'}"`;
  return `Unexpected ceremony inside another site's frame (${seen}); expected a top-level page: Firstkey is never embedded`;
}
