// Security headers. Every response carries them, set in front of Next.js by server.ts's request gate
// (lib/http/request-gate.ts) and on its own refusals: proxy.ts (Next's middleware) never runs for /_next/static, /_next/image or /favicon.ico,
// and Next's own 404s, yet HSTS only holds if the browser sees it, and a script or stylesheet served
// without nosniff could be read as another type. Pages also get a Content-Security-Policy with a
// fresh nonce per request (proxy.ts): Next.js puts it on its own scripts, and nothing else may run
// ('strict-dynamic' lets those scripts load their chunks). frame-ancestors 'none' stops clickjacking
// of the enrollment button.

export const EVERY_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  // Links carry tokens only in fragments, but no URL of ours should ever leave in a Referer.
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy':
    'publickey-credentials-create=(self), publickey-credentials-get=(self), camera=(), microphone=(), geolocation=()',
};

export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
}

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
}

/** Everything a response carries: the fixed headers and a CSP (pages get theirs, with the nonce Next.js uses, from proxy.ts). */
export function securityHeaders(nonce: string): Record<string, string> {
  return { ...EVERY_RESPONSE_HEADERS, 'content-security-policy': contentSecurityPolicy(nonce) };
}
