import { z } from 'zod';
import { problem, type FieldProblem } from '@/lib/http/problem';

export type Parsed<T> = { ok: true; data: T } | { ok: false; response: Response };

/** Reads a body as text, counting bytes as they stream; `ok: false` once it passes maxBytes. */
export async function readLimited(
  request: Request,
  maxBytes: number,
): Promise<{ ok: true; text: string } | { ok: false }> {
  if (!request.body) return { ok: true, text: '' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return { ok: false };
    }
    chunks.push(value);
  }
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}

/**
 * Reads a JSON body, at most `maxBytes` (counted as it streams, not trusted from Content-Length),
 * and validates it with a strict zod schema. Every failure is a 4xx with a message a person can act on.
 */
export async function parseJson<T extends z.ZodType>(
  request: Request,
  schema: T,
  maxBytes: number,
): Promise<Parsed<z.infer<T>>> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    return {
      ok: false,
      response: problem(
        415,
        'unsupported_media_type',
        `Expected a JSON body (Content-Type: application/json), got "${type || 'none'}"`,
      ),
    };
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  const tooLarge = () =>
    problem(413, 'body_too_large', `The request body is larger than ${maxBytes / 1024} KiB`);
  if (declared > maxBytes) return { ok: false, response: tooLarge() };
  const body = await readLimited(request, maxBytes);
  if (!body.ok) return { ok: false, response: tooLarge() };
  if (body.text.trim() === '')
    return {
      ok: false,
      response: problem(400, 'empty_body', 'The request body is empty; expected a JSON object'),
    };
  let json: unknown;
  try {
    json = JSON.parse(body.text);
  } catch {
    return {
      ok: false,
      response: problem(400, 'invalid_json', 'The request body is not valid JSON'),
    };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((issue) =>
        issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
      )
      .join('; ');
    // The first problem of each field, for a form to show all of them at once next to their fields.
    const fields: FieldProblem[] = [];
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (typeof field === 'string' && !fields.some((seen) => seen.field === field))
        fields.push({ field, message: issue.message });
    }
    return {
      ok: false,
      response: problem(400, 'invalid_request', message, fields.length ? { fields } : {}),
    };
  }
  return { ok: true, data: parsed.data };
}
