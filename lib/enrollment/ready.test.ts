import assert from 'node:assert/strict';
import { test } from 'node:test';
import { db } from '@/lib/db';
import { addOidcClient, OidcClientInput } from '@/lib/oidc/clients';
import { enrolledPerson } from '@/lib/testing/enrolled';

// The ready page says what the new passkey opens (issue 10 item 6, issue 11 item 7): the apps with a
// home page, the console for staff, and the way to a backup passkey — not a vague "sign in at work".

test('the ready page lists the apps with a home page, and the console only for staff', async () => {
  const at = new Date();
  const add = (input: Record<string, unknown>) =>
    addOidcClient(db(), OidcClientInput.parse(input), { actor: { type: 'cli' }, at });
  await add({
    name: 'Wiki',
    redirectUris: ['https://wiki.example/cb'],
    homeUrl: 'https://wiki.example/',
  });
  await add({ name: 'Backend job', redirectUris: ['https://jobs.example/cb'] });
  const gone = await add({
    name: 'Old chat',
    redirectUris: ['https://chat.example/cb'],
    homeUrl: 'https://chat.example/',
  });
  await db().oidcClient.update({ where: { id: gone.clientId }, data: { disabledAt: at } });

  const hire = await enrolledPerson({ employeeId: 'R1' });
  assert.deepEqual(hire.next, {
    recovery: false,
    staff: false,
    apps: [{ name: 'Wiki', url: 'https://wiki.example/' }],
  });
  const admin = await enrolledPerson({ employeeId: 'R2', role: 'it' });
  assert.equal(admin.next.staff, true);
});
