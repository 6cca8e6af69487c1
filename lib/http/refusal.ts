import type { ServerResponse } from 'node:http';
import type { ProblemBody } from '@/lib/http/problem';
import { newNonce, securityHeaders } from '@/lib/http/security-headers';

// Answers the front door (server.ts) gives itself, before Next.js sees the request — so proxy.ts
// never runs for them and they carry the security headers from here. Same body shape as the API's
// problems (lib/http/problem.ts): a stable code for programs, a sentence for people.

export type Refusal = {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
};

export function writeRefusal(
  response: ServerResponse,
  refusal: Refusal,
  method: string | undefined,
): void {
  const problem: ProblemBody = { error: { code: refusal.code, message: refusal.message } };
  const body = JSON.stringify(problem);
  response.writeHead(refusal.status, {
    ...securityHeaders(newNonce()),
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    ...refusal.headers,
  });
  response.end(method === 'HEAD' ? undefined : body);
}

const PARSER_ERRORS: Record<string, { status: number; reason: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, reason: 'Content Too Large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout' },
};

/**
 * The raw answer to a request Node's HTTP parser could not read (server 'clientError'): there is no
 * response object then, only the socket, which is closed after it. Same statuses as Node's default
 * answer, plus the security headers. No body: the request's method is unknown, and an answer to HEAD
 * must not have one.
 */
export function parserErrorAnswer(code: string | undefined): string {
  const { status, reason } = PARSER_ERRORS[code ?? ''] ?? { status: 400, reason: 'Bad Request' };
  const headers = {
    ...securityHeaders(newNonce()),
    'content-length': '0',
    'cache-control': 'no-store',
    connection: 'close',
  };
  return `HTTP/1.1 ${status} ${reason}\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
}
