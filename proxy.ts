import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, newNonce, securityHeaders } from '@/lib/http/security-headers';

/** Security headers on every response; the CSP nonce is handed to Next.js through the request. */
export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  // The path and query being rendered, for layouts that send an anonymous visitor to sign-in and back.
  requestHeaders.set('x-firstkey-path', request.nextUrl.pathname + request.nextUrl.search);
  requestHeaders.set('content-security-policy', contentSecurityPolicy(nonce));
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(securityHeaders(nonce))) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico).*)' }],
};
