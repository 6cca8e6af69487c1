import en from '@/lib/i18n/messages/en.json' with { type: 'json' };

// A refused passkey, said to the person in a plain sentence. What the verifier saw (the library's own
// message: "Response counter value 3 was lower than expected 7", "Unexpected registration response
// origin …") goes to the audit trail for IT, never to the screen: it means nothing to the person and
// names internals. The sentences are the catalogue's `refusals` (messages/*.json): the API answers in
// English, and the page shows the same sentence in the person's language by its key.

export type RefusalKey = keyof typeof en.refusals;

const PLAIN: { seen: RegExp; key: RefusalKey }[] = [
  // WebAuthn L3 §7.2 step 22: a signature counter that does not grow may mean a cloned authenticator.
  { seen: /counter/i, key: 'counter' },
  {
    seen: /user verification|user could not be verified|user not present/i,
    key: 'user_verification',
  },
  { seen: /frame|embedded|cross-origin|top origin/i, key: 'frame' },
  { seen: /origin|rp ?id/i, key: 'origin' },
];

export const PLAIN_FALLBACK = en.refusals.sign_in;

/** The key of the sentence for what the verifier saw; `fallback` when nothing more precise fits. */
export function plainRefusalKey(
  seen: string,
  fallback: 'sign_in' | 'registration' = 'sign_in',
): RefusalKey {
  return PLAIN.find((entry) => entry.seen.test(seen))?.key ?? fallback;
}

/** The English sentence for a refused sign-in, from what the verifier saw. */
export function plainAssertionRefusal(seen: string): string {
  return en.refusals[plainRefusalKey(seen)];
}

/** The English sentence for a refused new passkey (enrollment, a backup on /account). */
export function plainRegistrationRefusal(seen: string): string {
  return en.refusals[plainRefusalKey(seen, 'registration')];
}

/** Which refusal an English sentence from the API is, so a page can say it in its own language. */
export function refusalKeyOf(message: string | null | undefined): RefusalKey | null {
  if (!message) return null;
  const found = (Object.keys(en.refusals) as RefusalKey[]).find(
    (key) => en.refusals[key] === message,
  );
  return found ?? null;
}
