// test-databases: sqlite
// (no database: route handlers served over a real socket, the same on both)
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { ok } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { laneHandler, serveFromLane, type RouteLane } from '@/lib/http/route-lane';
import { FrontDoorResponse } from '@/lib/http/unread-body';

const LIMIT = 1024;

const lane: RouteLane = new Map([
  [
    '/echo',
    {
      method: 'POST',
      handler: async (request: Request) => {
        const body = await parseJson(request, z.object({ word: z.string() }).strict(), LIMIT);
        if (!body.ok) return body.response;
        return ok(
          {
            word: body.data.word,
            url: request.url,
            peer: request.headers.get('x-test-peer'),
            cookie: request.headers.get('cookie'),
          },
          { 'set-cookie': 'a=1; Path=/; Secure; HttpOnly' },
        );
      },
    },
  ],
  [
    '/two-cookies',
    {
      method: 'POST',
      handler: async () => {
        const headers = new Headers({ 'content-type': 'application/json' });
        headers.append('set-cookie', 'a=1; Path=/');
        headers.append('set-cookie', 'b=2; Path=/');
        return new Response('{}', { status: 201, headers });
      },
    },
  ],
  [
    '/throws',
    {
      method: 'POST',
      handler: async () => {
        throw new Error('secret internals: table User');
      },
    },
  ],
]);

let server: http.Server;
let origin: string;
const fellThrough: string[] = [];

before(async () => {
  server = http.createServer({ ServerResponse: FrontDoorResponse }, (req, res) => {
    // As server.ts does: the front door has set the peer header on Node's request by now.
    req.headers['x-test-peer'] = 'signed-peer';
    res.setHeader('x-frame-options', 'DENY');
    const handler = laneHandler(lane, req);
    if (handler) return void serveFromLane(req, res, handler, origin);
    fellThrough.push(`${req.method} ${req.url}`);
    res.end('next');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

describe('route lane', () => {
  test('a handler gets the method, URL, headers (the front door’s included) and body; its answer reaches the client with the front door’s headers', async () => {
    const answer = await post('/echo?x=1', JSON.stringify({ word: 'hello' }), { cookie: 'c=3' });
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), {
      word: 'hello',
      url: `${origin}/echo?x=1`,
      peer: 'signed-peer',
      cookie: 'c=3',
    });
    assert.equal(answer.headers.get('x-frame-options'), 'DENY');
    assert.equal(answer.headers.get('set-cookie'), 'a=1; Path=/; Secure; HttpOnly');
  });

  test('several cookies stay separate Set-Cookie headers', async () => {
    const answer = await post('/two-cookies', '{}');
    assert.equal(answer.status, 201);
    assert.deepEqual(answer.headers.getSetCookie(), ['a=1; Path=/', 'b=2; Path=/']);
  });

  test('bad input gets the handler’s own 4xx', async () => {
    const notJson = await post('/echo', '{', {});
    assert.equal(notJson.status, 400);
    assert.equal(
      ((await notJson.json()) as { error: { code: string } }).error.code,
      'invalid_json',
    );
    const wrongShape = await post('/echo', JSON.stringify({ word: 1 }));
    assert.equal(wrongShape.status, 400);
  });

  test('a body over the handler’s limit is a 413 that arrives, and the connection is closed, not left stalled', async () => {
    const answer = await new Promise<{ status: number; connection?: string; body: string }>(
      (resolve, reject) => {
        const request = http.request(
          `${origin}/echo`,
          {
            method: 'POST',
            // No Content-Length: the handler counts the bytes as they stream.
            headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
          },
          (response) => {
            let body = '';
            response.on('data', (chunk: Buffer) => (body += chunk.toString()));
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                connection: response.headers.connection,
                body,
              }),
            );
          },
        );
        request.on('error', reject);
        const piece = `"${'a'.repeat(16 * 1024)}",`;
        request.write(`{"word":[`);
        // Far more than the limit, sent while the server answers: a client that is not listening.
        let sent = 0;
        const more = () => {
          while (sent < 200) {
            sent += 1;
            if (!request.write(piece)) return void request.once('drain', more);
          }
          request.end('""]}');
        };
        more();
      },
    );
    assert.equal(answer.status, 413);
    assert.equal(answer.connection, 'close');
    assert.match(answer.body, /body_too_large/);
    // The server still answers.
    assert.equal((await post('/echo', JSON.stringify({ word: 'next' }))).status, 200);
  });

  test('a handler that throws is a 500 problem that names no internals', async () => {
    const originalError = console.error;
    const logged: unknown[][] = [];
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      const answer = await post('/throws', '{}');
      assert.equal(answer.status, 500);
      const text = await answer.text();
      assert.match(text, /internal_error/);
      assert.doesNotMatch(text, /secret internals|User/);
      assert.equal(answer.headers.get('cache-control'), 'no-store');
    } finally {
      console.error = originalError;
    }
    assert.equal(logged.length, 1);
    assert.match(String(logged[0]![1]), /secret internals/);
  });

  test('other paths and other methods on a lane path go to Next.js', async () => {
    fellThrough.length = 0;
    assert.equal(await (await fetch(`${origin}/echo`)).text(), 'next');
    assert.equal(await (await post('/echo/', '{}')).text(), 'next');
    assert.equal(await (await post('/elsewhere', '{}')).text(), 'next');
    assert.deepEqual(fellThrough, ['GET /echo', 'POST /echo/', 'POST /elsewhere']);
  });
});
