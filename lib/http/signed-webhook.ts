import 'server-only';
import type { z } from 'zod';
import { problem } from '@/lib/http/problem';
import { readLimited } from '@/lib/http/parse-json';
import { verifyWebhook, type InboundSender } from '@/lib/webhooks/signature';

export type SignedWebhook<T> =
  { ok: true; webhookId: string; occurredAt: Date; data: T } | { ok: false; response: Response };

/**
 * Reads an inbound Standard Webhooks delivery (HR events, MDM device assignments): the body, at most
 * `maxBytes`; the signature over exactly those bytes, before anything in it is believed (401 when it
 * fails, so a forged, stale or unsigned delivery is never parsed, let alone stored); then the JSON
 * and its zod schema (400 with every problem named).
 */
export async function readSignedWebhook<T extends z.ZodType>(
  request: Request,
  sender: InboundSender,
  schema: T,
  maxBytes: number,
): Promise<SignedWebhook<z.infer<T>>> {
  const raw = await readLimited(request, maxBytes);
  if (!raw.ok)
    return {
      ok: false,
      response: problem(
        413,
        'body_too_large',
        `The request body is larger than ${maxBytes / 1024} KiB`,
      ),
    };
  const signature = verifyWebhook(raw.text, request.headers, sender);
  if (!signature.ok)
    return { ok: false, response: problem(401, 'bad_signature', signature.message) };
  let json: unknown;
  try {
    json = JSON.parse(raw.text);
  } catch {
    return {
      ok: false,
      response: problem(400, 'invalid_json', 'The request body is not valid JSON'),
    };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    return {
      ok: false,
      response: problem(
        400,
        'invalid_request',
        parsed.error.issues
          .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
          .join('; '),
      ),
    };
  return {
    ok: true,
    webhookId: signature.webhookId,
    occurredAt: signature.timestamp,
    data: parsed.data,
  };
}
