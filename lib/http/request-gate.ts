import { IncomingMessage, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { parseAndValidateFlightRouterState } from 'next/dist/server/app-render/parse-and-validate-flight-router-state';
import {
  checkNextAuthHead,
  MAX_NEXT_AUTH_BODY_BYTES,
  NEXT_AUTH_PREFIX,
  nextAuthBodyProblem,
} from '@/lib/http/next-auth-request';
import { writeRefusal, type Refusal } from '@/lib/http/refusal';
import { newNonce, securityHeaders } from '@/lib/http/security-headers';
import {
  actionBodyProblem,
  checkActionHead,
  MAX_ACTION_BODY_BYTES,
} from '@/lib/http/server-action-request';

// The front door's request gate (server.ts runs it before Next.js sees a request). Next.js and
// next-auth answer some malformed requests with a 500 — a server error for a client's mistake, and one
// that skips proxy.ts, so without the security headers. The gate answers those shapes itself with a
// 4xx a person can act on; everything else passes. Rules, in order:
//   1. the target is a path (or an absolute http(s) URL) whose %-escapes decode          else 400
//   2. TRACE and TRACK are never served (fetch's Request refuses them: Next.js 500s)      else 405
//   3. an RSC request's router state header parses (with Next.js' own parser)            else 400
//   4. the User-Agent is at most 1 KiB: Next.js' bot detection regex takes time quadratic
//      in its length (16 KiB of "h" cost about 2 s of CPU per request)                    else 431
//   5. next-auth (/api/auth/*): lib/http/next-auth-request.ts                             400 / 405 / 413
//   6. pages (anything outside /api and /_next) answer GET and HEAD, and POST only as a
//      server action call: lib/http/server-action-request.ts                   400 / 403 / 405 / 413 / 415
//   7. under /api, /scim and /_next, no POST looks like a server action call: a path no route handler
//      serves renders the not-found page, which would try to decode it: a Next-Action header   else 400
//      or a multipart body (Firstkey's route handlers take JSON)                                else 415
// Route handlers under /api validate their own requests (lib/http/parse-json.ts) and pass.
// A request that passes gets the security headers up front too: proxy.ts replaces them (with the
// CSP nonce of the page it renders), and answers Next.js gives without running proxy.ts — its own
// redirects ("/a/" → "/a"), build assets — keep them.

export type RequestHead = { method?: string; url?: string; headers: IncomingHttpHeaders };
export type GateDecision =
  | { action: 'pass' }
  | { action: 'refuse'; refusal: Refusal }
  | { action: 'inspect-body'; maxBytes: number; check: (body: Buffer) => Promise<Refusal | null> };

const PASS: GateDecision = { action: 'pass' };
const refuse = (refusal: Refusal): GateDecision => ({ action: 'refuse', refusal });
const PAGE_METHODS = 'GET, HEAD';
/** Browsers send a few hundred bytes. */
const MAX_USER_AGENT_BYTES = 1024;

function parseTarget(target: string): URL | null {
  try {
    // Origin-form is resolved against a placeholder host so that "//x" stays a path, as Next.js reads it.
    const url = target.startsWith('/') ? new URL(`https://gate.invalid${target}`) : new URL(target);
    return /^https?:$/.test(url.protocol) ? url : null;
  } catch {
    return null;
  }
}

function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

// /scim is an API (SCIM 2.0, RFC 7644): every method, JSON bodies, bearer tokens.
const isPage = (pathname: string) => !/^\/(api|_next|scim)(\/|$)/.test(pathname);

/** Next.js reads the router state of every RSC request (`RSC: 1`) and throws on one it cannot parse. */
function badRouterState(headers: IncomingHttpHeaders): boolean {
  if (headers.rsc !== '1') return false;
  try {
    parseAndValidateFlightRouterState(headers['next-router-state-tree']);
    return false;
  } catch {
    return true;
  }
}

function notActionShaped(headers: IncomingHttpHeaders): GateDecision {
  if (headers['next-action'] !== undefined)
    return refuse({
      status: 400,
      code: 'not_a_page',
      message: 'Server actions are called on pages, not under /api or /_next',
    });
  const type = String(headers['content-type'] ?? '');
  if (/^multipart\/form-data/i.test(type))
    return refuse({
      status: 415,
      code: 'unsupported_media_type',
      message:
        'Firstkey\u2019s API takes JSON bodies (Content-Type: application/json), not multipart/form-data',
    });
  return PASS;
}

/** What the gate does with a request, from its head alone (a body check comes back as a function). */
export function decideRequest(head: RequestHead, origin: string): GateDecision {
  const method = head.method ?? 'GET';
  const url = parseTarget(head.url ?? '');
  if (!url)
    return refuse({
      status: 400,
      code: 'bad_target',
      message: `The request target must be a path, not "${(head.url ?? '').slice(0, 100)}"`,
    });
  if (!decodable(url.pathname)) {
    return refuse({
      status: 400,
      code: 'malformed_path',
      message: `The path has a malformed %-escape: "${url.pathname.slice(0, 200)}"; each % must start a UTF-8 byte such as %C3%A9`,
    });
  }
  if (method === 'TRACE' || method === 'TRACK') {
    return refuse({
      status: 405,
      code: 'method_not_allowed',
      message: `${method} is not served here`,
      headers: { allow: 'GET, HEAD, POST' },
    });
  }
  if (badRouterState(head.headers)) {
    return refuse({
      status: 400,
      code: 'bad_router_state',
      message: 'The Next-Router-State-Tree header is not a router state; reload the page',
    });
  }
  if (Buffer.byteLength(head.headers['user-agent'] ?? '') > MAX_USER_AGENT_BYTES) {
    return refuse({
      status: 431,
      code: 'user_agent_too_long',
      message: `The User-Agent header is longer than ${MAX_USER_AGENT_BYTES} bytes`,
    });
  }

  if (url.pathname.startsWith(NEXT_AUTH_PREFIX)) {
    // next-auth answers a query it cannot decode with a 500 (the fuzzer's random seed found
    // `GET /api/auth/error?error=/%E0%A4%A&q=%`); its own links are always well-formed.
    if (!decodable(url.search.slice(1)))
      return refuse({
        status: 400,
        code: 'malformed_query',
        message: `The query has a malformed %-escape: "${url.search.slice(0, 200)}"; each % must start a UTF-8 byte such as %C3%A9`,
      });
    const checked = checkNextAuthHead(method, url.pathname, url.searchParams, head.headers, origin);
    if (!checked.ok) return refuse(checked.refusal);
    const kind = checked.body;
    if (!kind) return PASS;
    return {
      action: 'inspect-body',
      maxBytes: MAX_NEXT_AUTH_BODY_BYTES,
      check: async (body) => nextAuthBodyProblem(kind, body, origin),
    };
  }

  if (!isPage(url.pathname)) return method === 'POST' ? notActionShaped(head.headers) : PASS;
  if (method === 'GET' || method === 'HEAD') return PASS;
  if (method !== 'POST' || head.headers['next-action'] === undefined) {
    return refuse({
      status: 405,
      code: 'method_not_allowed',
      message: `Pages answer only GET and HEAD${method === 'POST' ? '; a POST to a page must be a server action call (Next-Action header)' : `, not ${method}`}`,
      headers: { allow: PAGE_METHODS },
    });
  }
  const action = checkActionHead(head.headers);
  if (!action.ok) return refuse(action.refusal);
  const contentType = String(head.headers['content-type']);
  return {
    action: 'inspect-body',
    maxBytes: MAX_ACTION_BODY_BYTES,
    check: async (body) => {
      const problem = await actionBodyProblem(action.kind, contentType, body);
      return problem ? { status: 400, code: 'invalid_server_action', message: problem } : null;
    },
  };
}

/** The body, or null once it passes maxBytes (the rest is then discarded as it arrives). */
function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  if (Number(request.headers['content-length']) > maxBytes) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total <= maxBytes) return void chunks.push(chunk);
      request.off('data', onData);
      request.resume();
      resolve(null);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

/** The same request with its body already read, for Next.js to read again. */
function withBody(request: IncomingMessage, body: Buffer): IncomingMessage {
  const replay = new IncomingMessage(request.socket);
  Object.assign(replay, {
    method: request.method,
    url: request.url,
    httpVersion: request.httpVersion,
    httpVersionMajor: request.httpVersionMajor,
    httpVersionMinor: request.httpVersionMinor,
    headers: request.headers,
    rawHeaders: request.rawHeaders,
    trailers: request.trailers,
    rawTrailers: request.rawTrailers,
    complete: true,
  });
  replay.push(body);
  replay.push(null);
  return replay;
}

async function admit(
  request: IncomingMessage,
  decision: GateDecision,
): Promise<IncomingMessage | Refusal> {
  if (decision.action === 'pass') return request;
  if (decision.action === 'refuse') return decision.refusal;
  const body = await readBody(request, decision.maxBytes);
  if (!body)
    return {
      status: 413,
      code: 'body_too_large',
      message: `The request body is larger than ${decision.maxBytes / 1024} KiB`,
      headers: { connection: 'close' },
    };
  return (await decision.check(body)) ?? withBody(request, body);
}

/**
 * Runs the gate on one request: answers it (and returns null), or returns the request to hand to
 * Next.js — the original, or a replay of it when its body had to be read.
 */
export async function gateRequest(
  request: IncomingMessage,
  response: ServerResponse,
  origin: string,
): Promise<IncomingMessage | null> {
  const admitted = await admit(request, decideRequest(request, origin));
  if (!(admitted instanceof IncomingMessage)) {
    writeRefusal(response, admitted, request.method);
    return null;
  }
  for (const [name, value] of Object.entries(securityHeaders(newNonce())))
    response.setHeader(name, value);
  return admitted;
}
