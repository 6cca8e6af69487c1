import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { ok } from '@/lib/http/problem';
import { readSignedWebhook } from '@/lib/http/signed-webhook';
import { assignDevice } from '@/lib/mdm/assign-device';
import { MdmAssignmentBody } from '@/lib/mdm/assignment-schema';
import { refusal } from '@/lib/staff/outcomes';

const MAX_BODY_BYTES = 32 * 1024;

/** The MDM assigns a laptop to a person, signed the Standard Webhooks way with its own secret. */
export async function POST(request: Request) {
  const delivery = await readSignedWebhook(
    request,
    { name: 'MDM', variable: 'FIRSTKEY_MDM_WEBHOOK_SECRET', secrets: env().mdmWebhookSecrets },
    MdmAssignmentBody,
    MAX_BODY_BYTES,
  );
  if (!delivery.ok) return delivery.response;
  const result = await assignDevice(
    db(),
    {
      webhookId: delivery.webhookId,
      occurredAt: delivery.occurredAt,
      assignment: delivery.data,
      origin: env().origin,
    },
    new Date(),
  );
  if (!result.ok) return refusal(result);
  return ok(
    result.duplicate
      ? { duplicate: true }
      : {
          duplicate: false,
          employeeId: result.employeeId,
          outcome: result.outcome,
          linkIssued: result.linkIssued,
        },
  );
}
