import { Webhook } from 'standardwebhooks';
import { E2E_WEBHOOK_SECRETS, signedWebhookHeaders } from './webhook-secrets';
import {
  addVirtualAuthenticator,
  contextWithCertificate,
  expect,
  firstkey,
  strayDevice,
  test,
  today,
  readText,
} from './fixtures';
import type { ReceivedWebhook } from './hr-receiver';

type Body = { type: string; data: Record<string, string> };

async function received(
  channel: 'hr' | 'mdm',
  secret: string,
  employeeId: string,
): Promise<Body[]> {
  const all = (await (
    await fetch(`${process.env.FIRSTKEY_E2E_RECEIVER}/received`)
  ).json()) as ReceivedWebhook[];
  // This person's only, before verifying: an e2e run outlasts the 5-minute timestamp tolerance, so
  // other tests' older messages would fail the check.
  return all
    .filter(
      (message) =>
        message.channel === channel &&
        (JSON.parse(message.body) as Body).data.employeeId === employeeId,
    )
    .map((message) => new Webhook(secret).verify(message.body, message.headers) as Body);
}

test('HR joiner → link pushed to the MDM → the hire enrolls on the laptop → HR hears `enrolled`', async ({
  browser,
  request,
}) => {
  const employeeId = `HRE${Date.now().toString(36)}`;
  const laptop = await strayDevice('hr-e2e');
  const body = JSON.stringify({
    type: 'joiner',
    data: {
      employeeId,
      name: 'Hana Hr',
      email: `${employeeId.toLowerCase()}@example.com`,
      startDate: today(),
      device: { serial: 'SN-HANA', certificatePem: readText(laptop.certPath) },
    },
  });
  const headers = signedWebhookHeaders(E2E_WEBHOOK_SECRETS.hrIn, body);
  const response = await request.post('/api/hr/events', { headers, data: body });
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ duplicate: false, outcome: 'created', linkIssued: true });
  expect(
    await request.post('/api/hr/events', { headers, data: body }).then((again) => again.json()),
  ).toEqual({ duplicate: true });

  // The MDM receives the link for the laptop (the outbox worker runs every 2 s in the server).
  await expect
    .poll(async () => (await received('mdm', E2E_WEBHOOK_SECRETS.mdm, employeeId)).length, {
      timeout: 30_000,
    })
    .toBe(1);
  const [push] = await received('mdm', E2E_WEBHOOK_SECRETS.mdm, employeeId);
  expect(push!.data.deviceSerial).toBe('SN-HANA');

  const context = await contextWithCertificate(browser, laptop);
  const page = await context.newPage();
  await addVirtualAuthenticator(page);
  await page.goto(push!.data.url!);
  await page.getByRole('button', { name: 'Create my passkey' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You\u2019re ready for day one');
  await context.close();

  await expect
    .poll(
      async () =>
        (await received('hr', E2E_WEBHOOK_SECRETS.hrStatus, employeeId)).map(
          (status) => status.data.state,
        ),
      { timeout: 30_000 },
    )
    .toEqual(['ready', 'invited', 'opened', 'enrolling', 'enrolled']);
  const statuses = await received('hr', E2E_WEBHOOK_SECRETS.hrStatus, employeeId);
  expect(statuses.at(-1)).toEqual({
    type: 'enrollment.status',
    data: { employeeId, state: 'enrolled', at: expect.any(String) },
  });
  expect((await firstkey<{ state: string }>('status', '--employee-id', employeeId)).state).toBe(
    'enrolled',
  );
});
