import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appendAudit } from '@/lib/audit/append';
import { enrollmentMetrics } from '@/lib/console/metrics';
import { db, writeTransaction } from '@/lib/db';
import { addOidcClient } from '@/lib/oidc/clients';

const DAY = 86_400_000;

describe('sign-ins to apps on the metrics page', () => {
  test('each registered app gets its successful sign-ins per day; refusals and older days do not count', async () => {
    const at = new Date('2026-11-26T12:00:00Z');
    const context = { actor: { type: 'cli' } as const, at };
    const wiki = await addOidcClient(
      db(),
      {
        name: 'Wiki',
        redirectUris: ['https://wiki.example.com/cb'],
        postLogoutRedirectUris: [],
        public: false,
      },
      context,
    );
    const mail = await addOidcClient(
      db(),
      {
        name: 'Mail',
        redirectUris: ['https://mail.example.com/cb'],
        postLogoutRedirectUris: [],
        public: true,
      },
      context,
    );
    const signIn = (clientId: string, when: Date, result: 'ok' | 'denied' = 'ok') =>
      writeTransaction(db(), (tx) =>
        appendAudit(tx, {
          at: when,
          actor: { type: 'anonymous' },
          action: 'oidc_sign_in',
          subject: { type: 'oidc_client', id: clientId },
          result,
          details: { client: clientId },
        }),
      );
    await signIn(wiki.clientId, at);
    await signIn(wiki.clientId, new Date(at.getTime() - 60_000));
    await signIn(wiki.clientId, new Date(at.getTime() - DAY));
    await signIn(wiki.clientId, at, 'denied');
    await signIn(wiki.clientId, new Date(at.getTime() - 20 * DAY));
    await signIn(mail.clientId, new Date(at.getTime() - 2 * DAY));

    const { appSignIns } = await enrollmentMetrics(db(), at);
    assert.deepEqual(
      appSignIns.map((app) => [
        app.name,
        app.total,
        app.perDay.at(-1)?.count,
        app.perDay.at(-2)?.count,
        app.perDay.at(-3)?.count,
        app.perDay.length,
      ]),
      [
        ['Mail', 1, 0, 0, 1, 14],
        ['Wiki', 3, 2, 1, 0, 14],
      ],
    );
    assert.equal(appSignIns[0]!.perDay.at(-1)?.day, '2026-11-26');
  });
});
