import type { IncomingHttpHeaders } from 'node:http';
import type { Refusal } from '@/lib/http/refusal';

// A POST to a page is a server action call (app/(staff)/actions.ts): React's client sends it with a
// `Next-Action` header and the arguments encoded by React's `encodeReply` — a JSON array as
// text/plain, or multipart/form-data when an argument is FormData. Next.js answers 500 whenever it
// cannot decode such a request (malformed JSON or multipart, references to parts that are not there,
// a foreign or unparsable Origin, too large a body), so the front door accepts only what the client
// would send for Firstkey's actions, whose arguments are plain values, and answers everything else
// with a 4xx. An action that takes Maps, Sets, BigInts, Blobs or streams would need this rule extended.

/** Firstkey's actions take a handful of plain values; Next.js would read up to 1 MB. */
export const MAX_ACTION_BODY_BYTES = 64 * 1024;
/** Next.js refuses more arguments than this (SERVER_ACTION_ARGS_LIMIT), with a 500. */
const MAX_ARGUMENTS = 1000;
/** React revives the arguments recursively; no plain argument of ours nests deeper. */
const MAX_DEPTH = 32;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** Next.js' CSRF check, done first so a cross-site call gets a 403 instead of Next.js' 500. */
function crossSite(headers: IncomingHttpHeaders): Refusal | null {
  const origin = first(headers.origin);
  if (origin === undefined) return null;
  let originHost: string;
  try {
    originHost = origin === 'null' ? 'null' : new URL(origin).host;
  } catch {
    return {
      status: 400,
      code: 'bad_origin',
      message: `The Origin header "${origin.slice(0, 100)}" is not an origin`,
    };
  }
  // Next.js compares with the first X-Forwarded-Host, else Host (app-render/action-handler.js).
  const host = first(headers['x-forwarded-host'])?.split(',')[0]?.trim() || first(headers.host);
  if (originHost === host) return null;
  return {
    status: 403,
    code: 'cross_site',
    message: `Server actions must come from this site (${host ?? 'no host'}), not ${origin.slice(0, 100)}`,
  };
}

export type ActionBodyKind = 'reply' | 'multipart';

/** The head of a server action call: where it comes from and how its arguments are encoded. */
export function checkActionHead(
  headers: IncomingHttpHeaders,
): { ok: true; kind: ActionBodyKind } | { ok: false; refusal: Refusal } {
  const refusal = crossSite(headers);
  if (refusal) return { ok: false, refusal };
  const type = (first(headers['content-type']) ?? '').toLowerCase();
  if (/^text\/plain\s*(;|$)/.test(type)) return { ok: true, kind: 'reply' };
  if (/^multipart\/form-data\s*;\s*boundary=./.test(type)) return { ok: true, kind: 'multipart' };
  return {
    ok: false,
    refusal: {
      status: 415,
      code: 'unsupported_media_type',
      message: `A server action is sent as text/plain or multipart/form-data with a boundary, not "${type.slice(0, 100) || 'none'}"`,
    },
  };
}

/**
 * React encodes a string that starts with "$" as "$$…"; any other "$…" is a reference to another
 * part of the request or a special value. These are the special values that stand alone.
 */
function standaloneToken(value: string): boolean {
  return (
    value.startsWith('$$') ||
    value.startsWith('$D') ||
    value.startsWith('$K') ||
    ['$undefined', '$NaN', '$Infinity', '$-Infinity', '$-0'].includes(value)
  );
}

/** Why the encoded arguments (React's reply, chunk 0) are not what Firstkey's client sends; null if they are. */
export function replyProblem(text: string): string | null {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return 'The server action arguments are not JSON';
  }
  if (!Array.isArray(root)) return 'The server action arguments must be a JSON array';
  if (root.length > MAX_ARGUMENTS)
    return `A server action takes at most ${MAX_ARGUMENTS} arguments`;
  const pending: { value: unknown; depth: number }[] = [{ value: root, depth: 1 }];
  while (pending.length > 0) {
    const { value, depth } = pending.pop()!;
    if (typeof value === 'string' && value.startsWith('$') && !standaloneToken(value)) {
      return `The server action arguments refer to a part that is not there ("${value.slice(0, 20)}")`;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_DEPTH)
      return `The server action arguments nest deeper than ${MAX_DEPTH} levels`;
    for (const child of Object.values(value)) pending.push({ value: child, depth: depth + 1 });
  }
  return null;
}

/** Checks a server action body; null when Next.js can decode it. */
export async function actionBodyProblem(
  kind: ActionBodyKind,
  contentType: string,
  body: Buffer,
): Promise<string | null> {
  if (kind === 'reply') return replyProblem(body.toString('utf8'));
  let form: FormData;
  try {
    form = await new Response(Uint8Array.from(body), {
      headers: { 'content-type': contentType },
    }).formData();
  } catch {
    return 'The multipart body of the server action is malformed';
  }
  const root = form.get('0');
  if (typeof root !== 'string')
    return 'The multipart body of the server action has no arguments field ("0")';
  // Other fields are the entries of FormData arguments, named "_<id>_<name>" by React's client.
  for (const name of form.keys()) {
    if (name !== '0' && !/^_[0-9a-f]+_/.test(name))
      return `Unexpected field "${name.slice(0, 40)}" in the server action body`;
  }
  return replyProblem(root);
}
