import { Webhook } from 'standardwebhooks';
import { E2E_WEBHOOK_SECRETS, signedWebhookHeaders } from './webhook-secrets';
import {
  addVirtualAuthenticator,
  contextWithCertificate,
  enroll,
  expect,
  firstkey,
  readText,
  strayDevice,
  test,
  today,
} from './fixtures';
import type { ReceivedWebhook } from './hr-receiver';

type LinkPush = {
  type: string;
  data: { employeeId: string; deviceSerial: string; url: string };
};

/** The links the MDM received for this person, verified with the push secret (e2e/hr-receiver.ts). */
async function linkPushes(employeeId: string): Promise<LinkPush[]> {
  const all = (await (
    await fetch(`${process.env.FIRSTKEY_E2E_RECEIVER}/received`)
  ).json()) as ReceivedWebhook[];
  // This person's only, before verifying: an e2e run outlasts the 5-minute timestamp tolerance, so
  // other tests' older pushes would fail the check.
  return all
    .filter(
      (message) =>
        message.channel === 'mdm' &&
        (JSON.parse(message.body) as LinkPush).data.employeeId === employeeId,
    )
    .map(
      (message) =>
        new Webhook(E2E_WEBHOOK_SECRETS.mdm).verify(message.body, message.headers) as LinkPush,
    );
}

test('no human step: the IdP provisions the hire over SCIM, the MDM assigns the laptop (signed) → the link is pushed to the MDM → the hire enrolls on that laptop', async ({
  browser,
  request,
}) => {
  // The company IdP provisions the person over SCIM (its connection set up once by IT), with no laptop yet.
  const employeeId = `MDME${Date.now().toString(36)}`;
  const email = `${employeeId.toLowerCase()}@example.com`;
  const { token } = await firstkey<{ token: string }>('scim', 'token', 'create', '--name', 'IdP');
  const provisioned = await request.post('/scim/v2/Users', {
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
    data: JSON.stringify({
      schemas: [
        'urn:ietf:params:scim:schemas:core:2.0:User',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
        'urn:ietf:params:scim:schemas:extension:firstkey:2.0:User',
      ],
      userName: email,
      name: { givenName: 'Mona', familyName: 'Mdm' },
      emails: [{ value: email, type: 'work', primary: true }],
      active: true,
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: employeeId },
      'urn:ietf:params:scim:schemas:extension:firstkey:2.0:User': { startDate: today() },
    }),
  });
  expect(provisioned.status()).toBe(201);
  const laptop = await strayDevice('mdm-e2e');

  // What an MDM sends when it enrolls the laptop: the user's email, the serial, the certificate it installed.
  const body = JSON.stringify({
    email,
    serial: 'SN-MONA',
    certificatePem: readText(laptop.certPath),
  });
  const headers = signedWebhookHeaders(E2E_WEBHOOK_SECRETS.mdmIn, body);
  const response = await request.post('/api/mdm/devices', { headers, data: body });
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({
    duplicate: false,
    employeeId,
    outcome: 'registered',
    linkIssued: true,
  });
  // The MDM's retry of the same delivery changes nothing; HR's secret does not sign for the MDM.
  expect(
    await request.post('/api/mdm/devices', { headers, data: body }).then((again) => again.json()),
  ).toEqual({ duplicate: true });
  const forged = await request.post('/api/mdm/devices', {
    headers: signedWebhookHeaders(E2E_WEBHOOK_SECRETS.hrIn, body),
    data: body,
  });
  expect(forged.status()).toBe(401);

  // The outbox worker (every 2 s in the server) pushes the link to the MDM for this laptop.
  await expect.poll(async () => (await linkPushes(employeeId)).length, { timeout: 30_000 }).toBe(1);
  const [push] = await linkPushes(employeeId);
  expect(push!.type).toBe('enrollment.link');
  expect(push!.data.deviceSerial).toBe('SN-MONA');

  const context = await contextWithCertificate(browser, laptop);
  const page = await context.newPage();
  await addVirtualAuthenticator(page);
  await enroll(page, push!.data.url);
  await context.close();
  expect((await firstkey<{ state: string }>('status', '--employee-id', employeeId)).state).toBe(
    'enrolled',
  );
});
