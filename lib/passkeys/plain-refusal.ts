// A refused passkey assertion, said to the person in a plain sentence. What the verifier saw (the
// library's own message: "Response counter value 3 was lower than expected 7") goes to the audit
// trail for IT, never to the screen: it means nothing to the person and names internals.

const PLAIN: { seen: RegExp; say: string }[] = [
  {
    // WebAuthn L3 §7.2 step 22: a signature counter that does not grow may mean a cloned authenticator.
    seen: /counter/i,
    say: 'This passkey was not accepted because it may have been copied to another device. Use another passkey, or ask IT to check your passkeys.',
  },
  {
    seen: /user verification|user could not be verified|user not present/i,
    say: 'Your device did not confirm it is you (PIN, fingerprint or face). Try again and complete that step.',
  },
  {
    seen: /frame|embedded|cross-origin|top origin/i,
    say: 'Passkeys for Firstkey work only on Firstkey\u2019s own page, not inside another site. Open Firstkey directly and try again.',
  },
  {
    seen: /origin|rp ?id/i,
    say: 'This passkey belongs to a different web address, so it cannot sign you in here. Use the passkey you made for Firstkey.',
  },
];

export const PLAIN_FALLBACK =
  'That passkey could not sign you in. Try again, or use another passkey.';

/** The sentence for the person, from what the verifier saw. */
export function plainAssertionRefusal(seen: string): string {
  return PLAIN.find((entry) => entry.seen.test(seen))?.say ?? PLAIN_FALLBACK;
}
