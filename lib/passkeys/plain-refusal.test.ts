// test-databases: sqlite (pure functions: no database involved)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  plainAssertionRefusal,
  plainRegistrationRefusal,
  refusalKeyOf,
} from '@/lib/passkeys/plain-refusal';
import en from '@/lib/i18n/messages/en.json' with { type: 'json' };

describe('plain refusals', () => {
  test('a new passkey refused by the verifier gets a sentence, never the library’s words', () => {
    const seen = [
      'Unexpected registration response origin "https://evil.example", expected "https://localhost:3443"',
      'User verification was required, but user could not be verified',
      "Unexpected ceremony inside another site's frame (crossOrigin true); expected a top-level page",
      'Credential ID of 1500 bytes, expected at most 1023',
      'Attestation could not be chained to a trusted root',
    ];
    const said = seen.map(plainRegistrationRefusal);
    assert.deepEqual(said, [
      en.refusals.origin,
      en.refusals.user_verification,
      en.refusals.frame,
      en.refusals.registration,
      en.refusals.registration,
    ]);
    for (const [index, sentence] of said.entries())
      assert.ok(!sentence.includes(seen[index]!.slice(0, 20)), sentence);
  });

  test('a refused sign-in keeps its own fallback', () => {
    assert.equal(
      plainAssertionRefusal('Response counter value 3 was lower than expected 7'),
      en.refusals.counter,
    );
    assert.equal(plainAssertionRefusal('something else'), en.refusals.sign_in);
  });

  test('a page finds the sentence’s key to say it in its own language; other text has none', () => {
    assert.equal(refusalKeyOf(en.refusals.counter), 'counter');
    assert.equal(refusalKeyOf(en.refusals.name_required), 'name_required');
    assert.equal(refusalKeyOf('Unexpected registration response origin'), null);
    assert.equal(refusalKeyOf(undefined), null);
  });
});
