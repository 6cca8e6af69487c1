import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, newNonce } from '@/lib/http/security-headers';

/**
 * The Content-Security-Policy of pages, with a nonce handed to Next.js through the request. The
 * headers every response carries, static assets and the JSON answers under /api included (a CSP
 * without a page to apply to needs no nonce), are set by server.ts's request gate.
 */
export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  // The path and query being rendered, for layouts that send an anonymous visitor to sign-in and back.
  requestHeaders.set('x-firstkey-path', request.nextUrl.pathname + request.nextUrl.search);
  requestHeaders.set('content-security-policy', contentSecurityPolicy(nonce));
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', contentSecurityPolicy(nonce));
  return response;
}

export const config = {
  // Not under /api: route handlers answer JSON, and running this for each of them cost CPU on every
  // step of an enrollment (bench/server.bench.ts).
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico|api/).*)' }],
};
