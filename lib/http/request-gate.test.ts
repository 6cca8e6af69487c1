import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { actionBodyProblem, replyProblem } from '@/lib/http/server-action-request';
import { nextAuthBodyProblem } from '@/lib/http/next-auth-request';
import {
  decideRequest,
  gateRequest,
  type GateDecision,
  type RequestHead,
} from '@/lib/http/request-gate';
import { securityHeaders } from '@/lib/http/security-headers';

const ORIGIN = 'https://localhost:3443';
const ACTION = '004adbb76073c43835cb757248fdde80835d0af34d';

function decide(method: string, url: string, headers: RequestHead['headers'] = {}): GateDecision {
  return decideRequest({ method, url, headers: { host: 'localhost:3443', ...headers } }, ORIGIN);
}

function refusal(decision: GateDecision) {
  assert.equal(decision.action, 'refuse', JSON.stringify(decision));
  return (decision as Extract<GateDecision, { action: 'refuse' }>).refusal;
}

async function bodyRefusal(decision: GateDecision, body: string) {
  assert.equal(decision.action, 'inspect-body', JSON.stringify(decision));
  return (decision as Extract<GateDecision, { action: 'inspect-body' }>).check(Buffer.from(body));
}

describe('the front door gate decides from the request head', () => {
  test('a malformed %-escape anywhere in the path is a 400 that says what was seen', () => {
    for (const path of [
      '/it/hires/%E0%A4%A',
      '/api/it/hires/%%/links',
      '/%',
      '/enroll/%u0041',
      '/api/auth/callback/%FF',
    ]) {
      const answer = refusal(decide('GET', path));
      assert.equal(answer.status, 400, path);
      assert.equal(answer.code, 'malformed_path');
      assert.match(answer.message, /malformed %-escape/);
    }
    assert.deepEqual(
      decide('GET', '/it/hires/%C3%A9?q=%E0%A4%A'),
      { action: 'pass' },
      'a bad escape in the query is the page’s business',
    );
    // next-auth cannot decode one: a 400 before it sees the request, not its 500.
    for (const target of ['/api/auth/error?error=/%E0%A4%A&q=%', '/api/auth/session?x=%FF']) {
      const answer = refusal(decide('GET', target));
      assert.equal(answer.status, 400, target);
      assert.equal(answer.code, 'malformed_query');
    }
    assert.deepEqual(decide('GET', '/api/auth/error?error=Verification&x=%C3%A9'), {
      action: 'pass',
    });
  });

  test('a request target that is not a path is a 400', () => {
    assert.equal(refusal(decide('OPTIONS', '*')).status, 400);
    assert.equal(refusal(decide('GET', 'gopher://x/')).status, 400);
    assert.deepEqual(decide('GET', 'https://localhost:3443/enroll'), { action: 'pass' });
  });

  test('TRACE and TRACK are 405 everywhere', () => {
    for (const path of ['/', '/api/device', '/api/auth/session']) {
      for (const method of ['TRACE', 'TRACK'])
        assert.equal(refusal(decide(method, path)).status, 405);
    }
  });

  test('pages answer GET and HEAD; any other method gets 405 with Allow', () => {
    for (const method of ['GET', 'HEAD'])
      assert.deepEqual(decide(method, '/enroll'), { action: 'pass' });
    for (const method of ['PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND']) {
      const answer = refusal(decide(method, '/it/hires/E1'));
      assert.equal(answer.status, 405, method);
      assert.equal(answer.headers?.allow, 'GET, HEAD');
    }
  });

  test('SCIM (/scim/v2) is an API: POST, PUT, PATCH and DELETE with SCIM JSON reach its route handler', () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])
      assert.deepEqual(
        decide(method, '/scim/v2/Users/0a21f0f2', { 'content-type': 'application/scim+json' }),
        { action: 'pass' },
        method,
      );
    assert.equal(
      refusal(decide('POST', '/scim/v2/Users', { 'content-type': 'multipart/form-data' })).status,
      415,
    );
    assert.equal(refusal(decide('PUT', '/scimx')).status, 405, 'only /scim itself is an API');
  });

  test('a POST to a page that is not a server action call (a form, a scanner, a multipart upload) is a 405', () => {
    for (const type of [
      'multipart/form-data',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
      'application/json',
    ]) {
      const answer = refusal(decide('POST', '/enroll', { 'content-type': type }));
      assert.equal(answer.status, 405, type);
      assert.match(answer.message, /server action/);
    }
  });

  test('a server action call from another site is a 403, with an unparsable Origin a 400, as Next.js compares them', () => {
    const call = (headers: RequestHead['headers']) =>
      decide('POST', '/it', {
        'next-action': ACTION,
        'content-type': 'text/plain;charset=UTF-8',
        ...headers,
      });
    assert.equal(refusal(call({ origin: 'https://evil.example' })).status, 403);
    assert.equal(refusal(call({ origin: 'null' })).status, 403);
    assert.equal(refusal(call({ origin: 'garbage' })).status, 400);
    assert.equal(refusal(call({ origin: ORIGIN, 'x-forwarded-host': 'evil.example' })).status, 403);
    assert.equal(call({ origin: ORIGIN }).action, 'inspect-body');
    assert.equal(
      call({}).action,
      'inspect-body',
      'no Origin: a non-browser client, which Next.js lets through',
    );
  });

  test('a server action call is text/plain or multipart with a boundary, else 415', () => {
    for (const type of [
      undefined,
      'application/json',
      'multipart/form-data',
      'application/x-www-form-urlencoded',
    ]) {
      assert.equal(
        refusal(
          decide('POST', '/it', {
            'next-action': ACTION,
            ...(type ? { 'content-type': type } : {}),
          }),
        ).status,
        415,
        type,
      );
    }
  });

  test('under /api and /_next, a POST shaped like a server action call is refused; JSON passes to the route handler', () => {
    assert.equal(
      refusal(decide('POST', '/api/nope', { 'content-type': 'multipart/form-data; boundary=x' }))
        .status,
      415,
    );
    assert.equal(
      refusal(decide('POST', '/_next/x', { 'content-type': 'multipart/form-data' })).status,
      415,
    );
    assert.equal(
      refusal(
        decide('POST', '/api/enroll/peek', { 'next-action': ACTION, 'content-type': 'text/plain' }),
      ).status,
      400,
    );
    assert.deepEqual(decide('POST', '/api/enroll/peek', { 'content-type': 'application/json' }), {
      action: 'pass',
    });
    assert.deepEqual(
      decide('PUT', '/api/enroll/peek'),
      { action: 'pass' },
      'the route handler answers 405 itself',
    );
  });

  test('an RSC request with a router state Next.js cannot parse is a 400', () => {
    assert.equal(
      refusal(decide('GET', '/nope', { rsc: '1', 'next-router-state-tree': 'garbage' })).code,
      'bad_router_state',
    );
    const state = encodeURIComponent(
      JSON.stringify(['', { children: ['__PAGE__', {}] }, null, 'refetch']),
    );
    assert.deepEqual(decide('GET', '/it', { rsc: '1', 'next-router-state-tree': state }), {
      action: 'pass',
    });
    assert.deepEqual(
      decide('GET', '/it', { 'next-router-state-tree': 'garbage' }),
      { action: 'pass' },
      'without RSC: 1, Next.js never reads it',
    );
  });

  test('a User-Agent over 1 KiB is a 431 (Next.js’ bot regex is quadratic in its length)', () => {
    assert.equal(refusal(decide('GET', '/', { 'user-agent': 'h'.repeat(1025) })).status, 431);
    assert.deepEqual(decide('GET', '/', { 'user-agent': 'Mozilla/5.0 '.repeat(80) }), {
      action: 'pass',
    });
  });
});

describe('next-auth requests', () => {
  test('a GET of the passkey callback is 405 (a Credentials provider only takes POST)', () => {
    const answer = refusal(decide('GET', '/api/auth/callback/passkey'));
    assert.equal(answer.status, 405);
    assert.equal(answer.headers?.allow, 'POST');
    assert.deepEqual(decide('GET', '/api/auth/session'), { action: 'pass' });
  });

  test('a callbackUrl next-auth cannot parse is a 400, from the query, the body or its cookie (which is cleared)', async () => {
    assert.equal(
      refusal(decide('GET', '/api/auth/session?callbackUrl=foo:bar')).code,
      'bad_callback_url',
    );
    assert.equal(
      refusal(decide('GET', '/api/auth/session?callbackUrl=/it&callbackUrl=javascript:x')).code,
      'bad_callback_url',
      'the last one counts',
    );
    const cookie = refusal(
      decide('GET', '/api/auth/session', {
        cookie: 'a=b; __Secure-next-auth.callback-url=javascript%3Ax',
      }),
    );
    assert.equal(cookie.status, 400);
    assert.match(
      cookie.headers?.['set-cookie'] ?? '',
      /^__Secure-next-auth\.callback-url=; Path=\/; Max-Age=0/,
    );
    assert.deepEqual(
      decide('GET', '/api/auth/session?callbackUrl=%2Fit', {
        cookie: '__Secure-next-auth.callback-url=https%3A%2F%2Flocalhost%3A3443%2Fit',
      }),
      { action: 'pass' },
    );

    const json = decide('POST', '/api/auth/signout', { 'content-type': 'application/json' });
    assert.equal((await bodyRefusal(json, '{"callbackUrl":{"a":1}}'))?.code, 'bad_callback_url');
    assert.equal((await bodyRefusal(json, '{"callbackUrl":123}'))?.code, 'bad_callback_url');
    const form = decide('POST', '/api/auth/signout', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    assert.equal(
      (await bodyRefusal(form, 'csrfToken=x&callbackUrl=%E0%A4%A'))?.code,
      'bad_callback_url',
    );
  });

  test('a JSON body next-auth cannot parse is a 400; what its own client sends passes', async () => {
    for (const path of [
      '/api/auth/callback/passkey',
      '/api/auth/signout',
      '/api/auth/_log',
      '/api/auth/session',
    ]) {
      const decision = decide('POST', path, { 'content-type': 'application/json' });
      assert.equal((await bodyRefusal(decision, '{bad'))?.code, 'invalid_json', path);
      assert.equal((await bodyRefusal(decision, '[1]'))?.code, 'invalid_request', path);
    }
    assert.equal(
      nextAuthBodyProblem(
        'form',
        Buffer.from('csrfToken=abc&callbackUrl=%2Fit&json=true&response=%7B%7D'),
        ORIGIN,
      ),
      null,
    );
    assert.equal(
      nextAuthBodyProblem(
        'json',
        Buffer.from('{"csrfToken":"abc","data":{"x":1},"callbackUrl":""}'),
        ORIGIN,
      ),
      null,
    );
    assert.deepEqual(
      decide('POST', '/api/auth/signout', { 'content-type': 'text/plain' }),
      { action: 'pass' },
      'next-auth ignores other bodies',
    );
  });
});

describe('server action bodies', () => {
  test('what React’s client sends for Firstkey’s actions passes', async () => {
    for (const reply of [
      '[]',
      '["$undefined"]',
      '["$$literal dollar", 1, {"a": [true, null]}]',
      '["$D2026-01-01T00:00:00.000Z"]',
    ])
      assert.equal(replyProblem(reply), null, reply);
    const multipart =
      '--b\r\nContent-Disposition: form-data; name="0"\r\n\r\n["$K1"]\r\n--b\r\nContent-Disposition: form-data; name="_1_name"\r\n\r\nAda\r\n--b--\r\n';
    assert.equal(
      await actionBodyProblem(
        'multipart',
        'multipart/form-data; boundary=b',
        Buffer.from(multipart),
      ),
      null,
    );
  });

  test('what Next.js would answer with a 500 is refused with the reason', async () => {
    assert.match(replyProblem('{bad')!, /not JSON/);
    assert.match(replyProblem('"x"')!, /JSON array/);
    assert.match(replyProblem('["$1"]')!, /refer to a part/);
    assert.match(replyProblem('[{"a":"$Q1"}]')!, /refer to a part/);
    assert.match(replyProblem('["$nX"]')!, /refer to a part/);
    assert.match(
      replyProblem(JSON.stringify(Array.from({ length: 1001 }, () => 0)))!,
      /at most 1000/,
    );
    assert.match(replyProblem(`[${'['.repeat(40)}${']'.repeat(40)}]`)!, /nest deeper/);
    assert.match(
      (await actionBodyProblem('multipart', 'multipart/form-data; boundary=b', Buffer.from('x')))!,
      /malformed/,
    );
    assert.match(
      (await actionBodyProblem(
        'multipart',
        'multipart/form-data; boundary=b',
        Buffer.from('--b\r\nContent-Disposition: form-data; name="1"\r\n\r\n[]\r\n--b--\r\n'),
      ))!,
      /no arguments field/,
    );
  });
});

describe('the gate on a real HTTP server', () => {
  let server: http.Server;
  let port: number;
  const seen: { method?: string; url?: string; body: string }[] = [];

  before(async () => {
    server = http.createServer((request, response) => {
      void gateRequest(request, response, ORIGIN).then(async (admitted) => {
        if (!admitted) return;
        const chunks: Buffer[] = [];
        for await (const chunk of admitted) chunks.push(chunk as Buffer);
        seen.push({
          method: admitted.method,
          url: admitted.url,
          body: Buffer.concat(chunks).toString(),
        });
        response.end('handled');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  function call(method: string, path: string, headers: Record<string, string>, body?: string) {
    return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
      (resolve, reject) => {
        const request = http.request(
          {
            host: '127.0.0.1',
            port,
            method,
            path,
            headers: { host: 'localhost:3443', ...headers },
          },
          (response) => {
            let text = '';
            response.on('data', (chunk) => (text += chunk));
            response.on('end', () =>
              resolve({ status: response.statusCode!, headers: response.headers, body: text }),
            );
          },
        );
        request.on('error', reject);
        request.end(body);
      },
    );
  }

  test('a server action call reaches the handler with the very body the gate read', async () => {
    const answer = await call(
      'POST',
      '/it?x=1',
      { 'next-action': ACTION, 'content-type': 'text/plain;charset=UTF-8' },
      '["$$a", 2]',
    );
    assert.equal(answer.body, 'handled');
    assert.deepEqual(seen.at(-1), { method: 'POST', url: '/it?x=1', body: '["$$a", 2]' });
    for (const name of Object.keys(securityHeaders('n')))
      assert.ok(answer.headers[name], `${name} set up front`);
  });

  test('a refusal carries the security headers and a problem a person can act on; HEAD gets no body', async () => {
    const answer = await call('GET', '/it/hires/%E0%A4%A', {});
    assert.equal(answer.status, 400);
    for (const name of Object.keys(securityHeaders('n'))) assert.ok(answer.headers[name], name);
    assert.equal(answer.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(JSON.parse(answer.body).error.code, 'malformed_path');
    assert.equal((await call('HEAD', '/it/hires/%E0%A4%A', {})).body, '');
  });

  test('a body larger than the rule allows is a 413, whatever Content-Length claims', async () => {
    const large = JSON.stringify(['x'.repeat(70 * 1024)]);
    const declared = await call(
      'POST',
      '/it',
      { 'next-action': ACTION, 'content-type': 'text/plain' },
      large,
    );
    assert.equal(declared.status, 413);
    const chunked = await call(
      'POST',
      '/it',
      { 'next-action': ACTION, 'content-type': 'text/plain', 'transfer-encoding': 'chunked' },
      large,
    );
    assert.equal(chunked.status, 413);
    assert.equal(JSON.parse(chunked.body).error.code, 'body_too_large');
  });
});
