import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { HrEventBody } from '@/lib/hr/event-schema';
import { applyHrEvent } from '@/lib/hr/events';
import { verifyWebhook } from '@/lib/webhooks/signature';
import { ok, problem } from '@/lib/http/problem';
import { readLimited } from '@/lib/http/parse-json';
import { refusal } from '@/lib/staff/outcomes';

const MAX_BODY_BYTES = 64 * 1024;

/** HR joiner / change / leaver events, signed the Standard Webhooks way. Nothing is stored unless the signature holds. */
export async function POST(request: Request) {
  const raw = await readLimited(request, MAX_BODY_BYTES);
  if (!raw.ok)
    return problem(
      413,
      'body_too_large',
      `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB`,
    );
  const signature = verifyWebhook(raw.text, request.headers, env().hrWebhookSecrets);
  if (!signature.ok) return problem(401, 'bad_signature', signature.message);
  let json: unknown;
  try {
    json = JSON.parse(raw.text);
  } catch {
    return problem(400, 'invalid_json', 'The request body is not valid JSON');
  }
  const parsed = HrEventBody.safeParse(json);
  if (!parsed.success) {
    return problem(
      400,
      'invalid_request',
      parsed.error.issues
        .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
        .join('; '),
    );
  }
  const result = await applyHrEvent(
    db(),
    {
      webhookId: signature.webhookId,
      occurredAt: signature.timestamp,
      event: parsed.data,
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
