import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import 'server-only';

// Standard Webhooks (standardwebhooks.com): HMAC-SHA256 over "id.timestamp.body", base64, in
// `webhook-signature: v1,<sig>`; timestamps older or newer than 5 minutes are refused. Verification and
// signing are the reference `standardwebhooks` package's; this file adds secret rotation and messages.

export type SignatureCheck =
  { ok: true; webhookId: string; timestamp: Date } | { ok: false; message: string };

// `webhook-timestamp` is whole seconds since 1970 and nothing else. The package reads it with parseInt
// and signs and checks that number, so "1764000000e2" or "1764000000abc" verify with the signature of
// "1764000000"; read any other way (Number gave 176400000000, the year 7560, or NaN) one header would
// mean two times. Digits only, then one integer for both. 12 digits reach the year 33658.
const TIMESTAMP = /^\d{1,12}$/;

/** Who signs an inbound webhook: each sender has secrets of its own (two during rotation). */
export type InboundSender = {
  /** For messages: "HR", "MDM". */
  name: string;
  /** The environment variable holding its secrets. */
  variable: string;
  secrets: string[];
};

export function verifyWebhook(
  body: string,
  headers: Headers,
  sender: InboundSender,
): SignatureCheck {
  const { secrets } = sender;
  const id = headers.get('webhook-id');
  const timestamp = headers.get('webhook-timestamp');
  const signature = headers.get('webhook-signature');
  const missing = [
    !id && 'webhook-id',
    !timestamp && 'webhook-timestamp',
    !signature && 'webhook-signature',
  ].filter(Boolean);
  if (missing.length > 0)
    return {
      ok: false,
      message: `Missing header${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
    };
  if (!TIMESTAMP.test(timestamp!)) {
    return {
      ok: false,
      message: `webhook-timestamp must be whole seconds since 1970 (1 to 12 digits), got ${JSON.stringify(timestamp!.slice(0, 40))}`,
    };
  }
  const seconds = Number.parseInt(timestamp!, 10);
  if (secrets.length === 0)
    return {
      ok: false,
      message: `Inbound ${sender.name} webhooks are not configured (${sender.variable})`,
    };
  let lastError = 'No matching signature';
  for (const secret of secrets) {
    try {
      // jsonParse off: the body is parsed (and its errors reported) after the signature holds.
      new Webhook(secret).verify(
        body,
        { 'webhook-id': id!, 'webhook-timestamp': timestamp!, 'webhook-signature': signature! },
        { jsonParse: false },
      );
      return { ok: true, webhookId: id!, timestamp: new Date(seconds * 1000) };
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      lastError = error.message;
    }
  }
  return { ok: false, message: `Signature rejected: ${lastError}` };
}

/** Headers for an outbound webhook, signed the same way. */
export function signWebhook(
  secret: string,
  webhookId: string,
  at: Date,
  body: string,
): Record<string, string> {
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(webhookId, at, body),
  };
}
