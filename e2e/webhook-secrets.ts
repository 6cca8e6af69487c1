import crypto from 'node:crypto';
import { Webhook } from 'standardwebhooks';

// Test fixtures, not secrets: the e2e server trusts HR events signed with `hrIn` and MDM device
// assignments signed with `mdmIn`, and signs its own webhooks to the local receiver
// (e2e/hr-receiver.ts) with `hrStatus` and `mdm`.
export const E2E_WEBHOOK_SECRETS = {
  hrIn: 'whsec_ZTJlLWhyLWluYm91bmQtdGVzdC1maXh0dXJlLXNlY3JldA==',
  hrStatus: 'whsec_ZTJlLWhyLXN0YXR1cy10ZXN0LWZpeHR1cmUtc2VjcmV0',
  mdm: 'whsec_ZTJlLW1kbS1wdXNoLXRlc3QtZml4dHVyZS1zZWNyZXQ=',
  mdmIn: 'whsec_ZTJlLW1kbS1pbmJvdW5kLXRlc3QtZml4dHVyZS1zZWNyZXQ=',
};

/** The headers of a Standard Webhooks delivery of `body`, signed with `secret`. */
export function signedWebhookHeaders(
  secret: string,
  body: string,
  id = `msg_${crypto.randomUUID()}`,
  at = new Date(),
) {
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}
