import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { HrEventBody } from '@/lib/hr/event-schema';
import { applyHrEvent } from '@/lib/hr/events';
import { ok } from '@/lib/http/problem';
import { readSignedWebhook } from '@/lib/http/signed-webhook';
import { refusal } from '@/lib/staff/outcomes';

const MAX_BODY_BYTES = 64 * 1024;

/** HR joiner / change / leaver events, signed the Standard Webhooks way. Nothing is stored unless the signature holds. */
export async function POST(request: Request) {
  const delivery = await readSignedWebhook(
    request,
    { name: 'HR', variable: 'FIRSTKEY_HR_WEBHOOK_SECRET', secrets: env().hrWebhookSecrets },
    HrEventBody,
    MAX_BODY_BYTES,
  );
  if (!delivery.ok) return delivery.response;
  const result = await applyHrEvent(
    db(),
    {
      webhookId: delivery.webhookId,
      occurredAt: delivery.occurredAt,
      event: delivery.data,
      origin: env().origin,
    },
    new Date(),
  );
  if (!result.ok) return refusal(result);
  return ok(
    result.duplicate
      ? { duplicate: true }
      : { duplicate: false, outcome: result.outcome, linkIssued: result.linkIssued },
  );
}
