import 'server-only';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { readLimited } from '@/lib/http/parse-json';
import { requestOrigin } from '@/lib/http/request-context';
import { authenticateScim, recordScimUse } from '@/lib/scim/connections';
import { discoveryDocument } from '@/lib/scim/discovery';
import { scimError, scimJson, type ScimProblem } from '@/lib/scim/errors';
import { parseFilter } from '@/lib/scim/filter';
import { SCIM_DEFAULT_COUNT, SCIM_MAX_BODY_BYTES, SCIM_MAX_RESULTS } from '@/lib/scim/policy';
import {
  createScimUser,
  deleteScimUser,
  getScimUser,
  listScimUsers,
  patchScimUser,
  replaceScimUser,
  type ScimContext,
  type ScimOutcome,
} from '@/lib/scim/users';

// /scim/v2/* (app/scim/v2/[...path]/route.ts): bearer token → which endpoint → one lib/scim call →
// its SCIM answer. JSON with a bearer token, no cookies, no client certificate.

const METHODS: Record<string, string> = {
  Users: 'GET, POST',
  'Users/{id}': 'GET, PUT, PATCH, DELETE',
  discovery: 'GET',
};

function methodNotAllowed(method: string, allow: string): Response {
  return scimError(
    { status: 405, detail: `${method} is not supported here; use ${allow}` },
    { allow },
  );
}

/** A non-negative integer query parameter, or a problem. */
function integerParameter(
  params: URLSearchParams,
  name: string,
  fallback: number,
): number | ScimProblem {
  const raw = params.get(name);
  if (raw === null || raw.trim() === '') return fallback;
  if (!/^-?\d{1,9}$/.test(raw.trim()))
    return { status: 400, scimType: 'invalidValue', detail: `${name} must be an integer` };
  return Number(raw);
}

async function readBody(request: Request): Promise<{ ok: true; json: unknown } | ScimProblem> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(scim\+)?json\b/i.test(type))
    return {
      status: 415,
      detail: `Expected a JSON body (Content-Type: application/scim+json), got "${type.slice(0, 100) || 'none'}"`,
    };
  const body = await readLimited(request, SCIM_MAX_BODY_BYTES);
  if (!body.ok)
    return {
      status: 413,
      detail: `The request body is larger than ${SCIM_MAX_BODY_BYTES / 1024} KiB`,
    };
  try {
    return { ok: true, json: JSON.parse(body.text) };
  } catch {
    return { status: 400, scimType: 'invalidSyntax', detail: 'The request body is not valid JSON' };
  }
}

function answer<T>(outcome: ScimOutcome<T>, status = 200, headers: Record<string, string> = {}) {
  return outcome.ok ? scimJson(outcome.value, status, headers) : scimError(outcome.problem);
}

export async function handleScim(request: Request, segments: string[]): Promise<Response> {
  const at = new Date();
  const connection = await authenticateScim(db(), request.headers.get('authorization'));
  if (!connection)
    return scimError(
      {
        status: 401,
        detail:
          'A SCIM connection token is required: Authorization: Bearer <token> (IT creates one on the console or with firstkey scim token create)',
      },
      { 'www-authenticate': 'Bearer realm="scim"' },
    );
  const response = await answerScim(request, segments, { connection, at });
  if (response.status < 400) await recordScimUse(db(), connection, at);
  return response;
}

async function answerScim(
  request: Request,
  segments: string[],
  { connection, at }: { connection: { id: string; name: string }; at: Date },
): Promise<Response> {
  const base = `${env().origin}/scim/v2`;
  const method = request.method;

  if (segments[0] !== 'Users') {
    const document = discoveryDocument(base, segments);
    if (document === null)
      return scimError({
        status: 404,
        detail: `No SCIM endpoint at /scim/v2/${segments.join('/')}`,
      });
    return method === 'GET' ? scimJson(document) : methodNotAllowed(method, METHODS.discovery!);
  }
  if (segments.length > 2)
    return scimError({ status: 404, detail: `No SCIM endpoint at /scim/v2/${segments.join('/')}` });

  const context: ScimContext = {
    connection,
    at,
    origin: env().origin,
    timeZone: env().timeZone,
    request: requestOrigin(request).context,
  };
  const id = segments[1];
  if (id === undefined) {
    if (method === 'GET') {
      const params = new URL(request.url).searchParams;
      const startIndex = integerParameter(params, 'startIndex', 1);
      if (typeof startIndex !== 'number') return scimError(startIndex);
      const count = integerParameter(params, 'count', SCIM_DEFAULT_COUNT);
      if (typeof count !== 'number') return scimError(count);
      const filter = params.get('filter');
      const parsed = filter === null ? { ok: true as const, clauses: [] } : parseFilter(filter);
      if (!parsed.ok)
        return scimError({ status: 400, scimType: 'invalidFilter', detail: parsed.message });
      // RFC 7644 §3.4.2.4: a startIndex below 1 is 1, a negative count 0.
      return scimJson(
        await listScimUsers(
          db(),
          {
            clauses: parsed.clauses,
            startIndex: Math.max(1, startIndex),
            count: Math.min(Math.max(0, count), SCIM_MAX_RESULTS),
          },
          base,
        ),
      );
    }
    if (method !== 'POST') return methodNotAllowed(method, METHODS.Users!);
    const body = await readBody(request);
    if (!('ok' in body)) return scimError(body);
    const created = await createScimUser(db(), body.json, context);
    return answer(created, 201, created.ok ? { location: created.value.meta.location } : {});
  }

  switch (method) {
    case 'GET':
      return answer(await getScimUser(db(), id, base));
    case 'DELETE': {
      const deleted = await deleteScimUser(db(), id, context);
      return deleted.ok ? new Response(null, { status: 204 }) : scimError(deleted.problem);
    }
    case 'PUT':
    case 'PATCH': {
      const body = await readBody(request);
      if (!('ok' in body)) return scimError(body);
      return answer(
        method === 'PUT'
          ? await replaceScimUser(db(), id, body.json, context)
          : await patchScimUser(db(), id, body.json, context),
      );
    }
    default:
      return methodNotAllowed(method, METHODS['Users/{id}']!);
  }
}
