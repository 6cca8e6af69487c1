// Staff sign-in through next-auth itself, in-process: NextAuth() with our options (the same core and
// cookie serializer as app/api/auth/[...nextauth]/route.ts, in its Node request/response form, which
// needs no Next.js request scope), and a small cookie jar playing the browser.
import type { IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import { POST as authenticationOptions } from '@/app/api/passkeys/authenticate/options/route';
import { authOptions } from '@/lib/staff/auth-options';
import { apiRequest, json } from '@/lib/testing/api';
import { TEST_ORIGIN } from '@/lib/testing/enrolled';
import type { SoftAuthenticator } from '@/lib/testing/soft-authenticator';

// next-auth is CommonJS; its handler is `exports.default`, which an ESM default import would not reach.
const { default: NextAuth } = createRequire(import.meta.url)(
  'next-auth',
) as typeof import('next-auth');

// As server.ts sets it: next-auth's own idea of where it lives.
process.env.NEXTAUTH_URL ??= TEST_ORIGIN;

export type NextAuthReply = { status: number; setCookies: string[]; body: unknown };

export class StaffBrowser {
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie header received, in order. */
  readonly setCookies: string[] = [];

  /** One request to /api/auth/<action…>; Set-Cookie headers update the jar the way a browser would. */
  async call(
    method: 'GET' | 'POST',
    action: string[],
    body?: Record<string, string>,
  ): Promise<NextAuthReply> {
    const headers: IncomingHttpHeaders = {
      host: new URL(TEST_ORIGIN).host,
      'user-agent': 'integration-test',
      cookie: this.cookieHeader(),
    };
    const reply = {
      status: 200,
      headers: new Map<string, string | string[]>(),
      body: undefined as unknown,
    };
    const res = {
      status(code: number) {
        reply.status = code;
        return res;
      },
      setHeader(name: string, value: string | string[]) {
        reply.headers.set(name.toLowerCase(), value);
        return res;
      },
      getHeader: (name: string) => reply.headers.get(name.toLowerCase()),
      end: () => undefined,
      json: (value: unknown) => (reply.body = value),
      send: (value: unknown) => (reply.body = value),
    };
    // Next.js hands next-auth the cookies decoded, as a browser's Cookie header is parsed.
    const cookies = Object.fromEntries(
      [...this.cookies].map(([name, value]) => [name, decodeURIComponent(value)]),
    );
    const req = { method, query: { nextauth: action }, body: body ?? {}, cookies, headers };
    await NextAuth(req as never, res as never, authOptions());
    const setCookies = [reply.headers.get('set-cookie') ?? []].flat();
    for (const header of setCookies) this.store(header);
    this.setCookies.push(...setCookies);
    return { status: reply.status, setCookies, body: reply.body };
  }

  async csrfToken(): Promise<string> {
    return ((await this.call('GET', ['csrf'])).body as { csrfToken: string }).csrfToken;
  }

  /** What components/staff/passkey-sign-in.tsx does: options, the passkey, then next-auth's callback. */
  async signIn(authenticator: SoftAuthenticator): Promise<NextAuthReply> {
    const options = await json<{ challenge: string }>(
      await authenticationOptions(
        apiRequest('/api/passkeys/authenticate/options', { fingerprint: null }, { body: {} }),
      ),
    );
    const response = JSON.stringify(authenticator.authenticate(options, TEST_ORIGIN));
    return this.call('POST', ['callback', 'passkey'], {
      csrfToken: await this.csrfToken(),
      response,
      json: 'true',
    });
  }

  /** What next-auth/react's signOut() sends. */
  async signOut(): Promise<NextAuthReply> {
    return this.call('POST', ['signout'], { csrfToken: await this.csrfToken(), json: 'true' });
  }

  /** What components/staff/session-keeper.tsx asks for to keep a session alive. */
  renew(): Promise<NextAuthReply> {
    return this.call('GET', ['session']);
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private store(header: string): void {
    const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
    const [name = '', ...value] = pair.split('=');
    const expired = attributes.some(
      (attribute) =>
        /^max-age=0$/i.test(attribute) ||
        (/^expires=/i.test(attribute) && new Date(attribute.slice(8)) <= new Date()),
    );
    if (expired || value.join('=') === '') this.cookies.delete(name);
    else this.cookies.set(name, value.join('='));
  }
}
