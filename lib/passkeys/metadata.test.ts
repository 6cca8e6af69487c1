import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MetadataService } from '@simplewebauthn/server';
import { testAuthenticatorModel } from '@/lib/testing/metadata';

// withMetadataStatement hands SimpleWebAuthn's process-global MetadataService to verifications:
// those without a statement (attestation not required: every ordinary enrollment) only read it and
// run side by side; one with a statement has the service to itself, holding exactly that statement.

const { sharedOffline, withMetadataStatement } = await import('@/lib/passkeys/metadata');

const AAGUID = '7b1d0c5e-9a4f-4c33-8d2e-61f0a3b9c4d7';

/** Lets the event loop turn `count` times (a verification awaits crypto and the CRL check). */
async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe('withMetadataStatement', () => {
  test('a batch of verifications without a statement serves only the copy of SimpleWebAuthn it configured', async () => {
    // The server's bundle and Next.js's each have their own copy, so their own MetadataService: one
    // copy's permissive set-up says nothing about the other's, which may still hold a statement from
    // a strict verification (and would refuse an ordinary enrollment). Another copy's verification
    // waits for the batch to finish and sets its own copy up.
    const events: string[] = [];
    const [bundle, nextjs] = [{}, {}];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = sharedOffline(
      bundle,
      async () => void events.push('bundle set up'),
      async () => {
        events.push('bundle verifies');
        await held;
        events.push('bundle done');
      },
    );
    const second = sharedOffline(
      nextjs,
      async () => void events.push('next.js set up'),
      async () => void events.push('next.js verifies'),
    );
    await turns(10);
    release();
    await Promise.all([first, second]);
    assert.deepEqual(events, [
      'bundle set up',
      'bundle verifies',
      'bundle done',
      'next.js set up',
      'next.js verifies',
    ]);
  });

  test('verifications without a statement run side by side, offline', async () => {
    let reached!: () => void;
    const gate = new Promise<'reached'>((resolve) => (reached = () => resolve('reached')));
    const [first, second] = await Promise.all([
      // The first one waits for the second to have started, or gives up after a while.
      withMetadataStatement(null, async () =>
        Promise.race([gate, turns(50).then(() => 'alone' as const)]),
      ),
      withMetadataStatement(null, async () => {
        reached();
        return MetadataService.getStatement(AAGUID);
      }),
    ]);
    assert.equal(first, 'reached');
    // Permissive and empty: an unknown model is not refused by the service.
    assert.equal(second, undefined);
    await assert.rejects(
      withMetadataStatement(null, () => fetch('https://mds3.fidoalliance.org/')),
      /checked offline/,
    );
  });

  test('a verification with a statement runs alone and sees exactly its statement', async () => {
    const model = await testAuthenticatorModel({ aaguid: AAGUID, description: 'Queue Key' });
    const statement = model.entry.metadataStatement!;
    const events: string[] = [];
    const withoutStatement = (name: string) =>
      withMetadataStatement(null, async () => {
        events.push(`${name} start`);
        await turns(10);
        const seen = await MetadataService.getStatement(AAGUID);
        events.push(`${name} end`);
        return seen;
      });
    const results = await Promise.all([
      withoutStatement('a'),
      withoutStatement('b'),
      withMetadataStatement(statement, async () => {
        events.push('statement start');
        await turns(10);
        const seen = await MetadataService.getStatement(AAGUID);
        events.push('statement end');
        return seen;
      }),
      withoutStatement('c'),
    ]);
    assert.deepEqual(events, [
      'a start',
      'b start',
      'a end',
      'b end',
      'statement start',
      'statement end',
      'c start',
      'c end',
    ]);
    assert.deepEqual(results, [undefined, undefined, statement, undefined]);
  });

  test('a verification that throws holds up none after it', async () => {
    await assert.rejects(
      withMetadataStatement({ aaguid: AAGUID } as never, async () => {
        throw new Error('refused inside');
      }),
      /refused inside/,
    );
    await assert.rejects(
      withMetadataStatement(null, async () => {
        throw new Error('refused too');
      }),
      /refused too/,
    );
    assert.equal(await withMetadataStatement(null, async () => 'ran'), 'ran');
    assert.equal(
      await withMetadataStatement({ aaguid: AAGUID } as never, async () => 'ran'),
      'ran',
    );
  });
});
