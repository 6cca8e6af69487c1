import { securityHeaders } from '@/lib/http/security-headers';
import { expect, origin, serverActionIds, test } from './fixtures';
import { agentFor, send, type Answer } from './raw-https';

// Requests a security review found answered with a 500 (some without the security headers), and
// the shapes around them, sent over real HTTPS to the real server: the front door
// (lib/http/request-gate.ts) answers each with a 4xx, the security headers and a problem a person
// can act on. The fuzzer (e2e/fuzz.spec.ts) looks for more.

const agent = agentFor(null);
test.afterAll(() => agent.destroy());

function request(
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  const bytes = body === undefined ? null : Buffer.from(body);
  return send(origin, agent, {
    method,
    target,
    headers: bytes ? { 'content-length': String(bytes.length), ...headers } : headers,
    body: bytes,
  });
}

function expectSecurityHeaders(answer: Answer) {
  expect(Object.keys(securityHeaders('n')).filter((name) => !answer.headers[name])).toEqual([]);
}

async function expectProblem(answer: Promise<Answer>, status: number, code: string) {
  const seen = await answer;
  expect(seen.status, seen.body.toString()).toBe(status);
  expectSecurityHeaders(seen);
  const { error } = JSON.parse(seen.body.toString()) as {
    error: { code: string; message: string };
  };
  expect(error.code).toBe(code);
  expect(error.message.length).toBeGreaterThan(10);
  return seen;
}

test('a malformed %-escape in a path is a 400 with the security headers, not a 500 without them', async () => {
  await expectProblem(request('GET', '/it/hires/%E0%A4%A'), 400, 'malformed_path');
  await expectProblem(
    request('POST', '/api/it/hires/%E0%A4%A/links', { 'content-type': 'application/json' }, '{}'),
    400,
    'malformed_path',
  );
  await expectProblem(request('GET', '/it/hires/%u0041'), 400, 'malformed_path');
});

test('a multipart POST to a page is a 405 that names the methods pages answer', async () => {
  for (const type of ['multipart/form-data', 'multipart/form-data; boundary=x']) {
    const answer = await expectProblem(
      request('POST', '/enroll', { 'content-type': type }, 'x'),
      405,
      'method_not_allowed',
    );
    expect(answer.headers.allow).toBe('GET, HEAD');
  }
  await expectProblem(request('PUT', '/enroll', {}, 'x'), 405, 'method_not_allowed');
  await expectProblem(request('OPTIONS', '/signin'), 405, 'method_not_allowed');
  // Unknown paths under /api render the not-found page, which would try to decode the body the same way.
  await expectProblem(
    request('POST', '/api/nope', { 'content-type': 'multipart/form-data; boundary=x' }, 'x'),
    415,
    'unsupported_media_type',
  );
});

test('a body next-auth cannot parse is a 400 on each of its POST routes', async () => {
  for (const path of [
    '/api/auth/callback/passkey',
    '/api/auth/signout',
    '/api/auth/_log',
    '/api/auth/session',
    '/api/auth/signin/passkey',
  ]) {
    await expectProblem(
      request('POST', path, { 'content-type': 'application/json' }, '{bad'),
      400,
      'invalid_json',
    );
  }
  await expectProblem(
    request(
      'POST',
      '/api/auth/signout',
      { 'content-type': 'application/json' },
      '{"callbackUrl":{"a":1}}',
    ),
    400,
    'bad_callback_url',
  );
  await expectProblem(
    request(
      'POST',
      '/api/auth/signout',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'csrfToken=x&callbackUrl=%E0%A4%A',
    ),
    400,
    'bad_callback_url',
  );
});

test('next-auth: a GET of the passkey callback is a 405, a callback URL it cannot parse a 400 — and a damaged cookie is cleared', async () => {
  expect(
    (await expectProblem(request('GET', '/api/auth/callback/passkey'), 405, 'method_not_allowed'))
      .headers.allow,
  ).toBe('POST');
  await expectProblem(
    request('GET', '/api/auth/session?callbackUrl=foo:bar'),
    400,
    'bad_callback_url',
  );
  const cookie = await expectProblem(
    request('GET', '/api/auth/session', {
      cookie: '__Secure-next-auth.callback-url=javascript:alert(1)',
    }),
    400,
    'bad_callback_url',
  );
  expect(String(cookie.headers['set-cookie'])).toMatch(
    /^__Secure-next-auth\.callback-url=; Path=\/; Max-Age=0/,
  );
  // A query next-auth cannot decode (the fuzzer's random seed found it answered 500).
  await expectProblem(
    request('GET', '/api/auth/error?error=/%E0%A4%A&q=%'),
    400,
    'malformed_query',
  );
  // What next-auth's own client sends still works.
  expect((await request('GET', '/api/auth/session')).status).toBe(200);
  expect((await request('GET', '/api/auth/csrf')).status).toBe(200);
});

test('server action calls Next.js cannot decode, or from another site, are 4xx; the console’s own call still works', async () => {
  const [action] = serverActionIds();
  const call = (headers: Record<string, string>, body: string) =>
    request(
      'POST',
      '/it',
      { 'next-action': action!, 'content-type': 'text/plain;charset=UTF-8', ...headers },
      body,
    );
  await expectProblem(call({}, '{bad'), 400, 'invalid_server_action');
  await expectProblem(call({}, '["$1"]'), 400, 'invalid_server_action');
  await expectProblem(
    call({ 'content-type': 'multipart/form-data; boundary=x' }, 'x'),
    400,
    'invalid_server_action',
  );
  await expectProblem(call({ origin: 'https://evil.example' }, '[]'), 403, 'cross_site');
  await expectProblem(call({ origin: 'garbage' }, '[]'), 400, 'bad_origin');
  await expectProblem(call({}, JSON.stringify(['x'.repeat(70 * 1024)])), 413, 'body_too_large');
  const own = await call({ origin }, '[]');
  expect(own.status).toBe(200);
  expect(own.headers['content-type']).toMatch(/^text\/x-component/);
});

test('TRACE, an asterisk target and an unparsable router state are 4xx, not 500', async () => {
  await expectProblem(request('TRACE', '/'), 405, 'method_not_allowed');
  await expectProblem(request('TRACE', '/api/device'), 405, 'method_not_allowed');
  await expectProblem(request('OPTIONS', '*'), 400, 'bad_target');
  await expectProblem(
    request('GET', '/nope', { rsc: '1', 'next-router-state-tree': 'garbage' }),
    400,
    'bad_router_state',
  );
});

test('a User-Agent of 10 KiB is a 431 (Next.js would spend most of a second matching it against its bot regex)', async () => {
  await expectProblem(
    request('GET', '/', { 'user-agent': 'h'.repeat(10_000) }),
    431,
    'user_agent_too_long',
  );
});

test('answers Node.js or Next.js give before proxy.ts runs carry the security headers too', async () => {
  const unparsable = await request('FUZZ', '/');
  expect(unparsable.status).toBe(400);
  expectSecurityHeaders(unparsable);
  const redirect = await request('GET', '/api/device/');
  expect(redirect.status).toBe(308);
  expectSecurityHeaders(redirect);
});

test('a body a route stops reading part-way closes the connection, so the next request is answered at once', async () => {
  // POST /api/hr/events reads 64 KiB, then refuses. Without `Connection: close` on that answer the
  // client sent its next request on the same connection, which Node no longer read: no answer until
  // an idle timeout closed the connection (the fuzzer found it).
  const own = agentFor(null);
  const sockets = new Set<unknown>();
  own.on('free', (socket) => sockets.add(socket));
  const body = Buffer.alloc(512 * 1024, '[');
  const refused = await send(origin, own, {
    method: 'POST',
    target: '/api/hr/events',
    headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
    body,
  });
  expect(refused.status).toBe(413);
  expect(refused.headers.connection).toBe('close');
  const next = await send(origin, own, {
    method: 'GET',
    target: '/api/device',
    headers: {},
    body: null,
  });
  expect(next.status).toBe(200);
  // The next request went out on a new connection, not retried after the old one failed it.
  expect(sockets.size).toBe(1);
  own.destroy();
});
