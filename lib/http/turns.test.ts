// test-databases: sqlite
// (no database: a real HTTP server's event loop, the same on both)
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { startOnePerTurn } from '@/lib/http/turns';

/** About a millisecond of CPU, as a route handler spends it: synchronously, on the event loop. */
function work() {
  let digest = Buffer.alloc(32);
  for (let i = 0; i < 300; i += 1) digest = crypto.createHash('sha256').update(digest).digest();
}

const CLIENTS = 30;
const PROBE_AFTER = 300;

/**
 * A busy server: CLIENTS keep-alive clients each send their next request as soon as the last is
 * answered, so about CLIENTS requests are ready on every turn. Once PROBE_AFTER requests have started,
 * a new connection is opened (its TCP handshake completes in the kernel at once); the answer is how
 * many requests the server started before its 'connection' event for it.
 */
async function startsBeforeAccept(start: (begin: () => void) => void): Promise<number> {
  let started = 0;
  let probeAt: number | null = null;
  let startsBeforeAccept: number | null = null;
  let resolveAccepted!: () => void;
  const accepted = new Promise<void>((resolve) => (resolveAccepted = resolve));
  let stopping = false;
  const server = http.createServer({ keepAliveTimeout: 10_000 }, (request, response) => {
    request.resume();
    start(() => {
      started += 1;
      work();
      if (started === PROBE_AFTER) {
        probeAt = started;
        net.connect((server.address() as AddressInfo).port, '127.0.0.1').on('error', () => {});
      }
      response.end('ok');
    });
  });
  server.on('connection', (socket: net.Socket) => {
    if (probeAt === null) return;
    startsBeforeAccept ??= started - probeAt;
    socket.destroy();
    resolveAccepted();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const clients = Array.from({ length: CLIENTS }, async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    while (!stopping) {
      await new Promise<void>((resolve, reject) =>
        http
          .get({ host: '127.0.0.1', port, path: '/', agent }, (response) => {
            response.resume();
            response.on('end', resolve);
          })
          .on('error', reject),
      );
    }
    agent.destroy();
  });
  await accepted;
  stopping = true;
  await Promise.all(clients);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return startsBeforeAccept!;
}

describe('one request start per turn of the event loop', () => {
  test('a busy server accepts a new connection before it has started the requests already waiting', async () => {
    // libuv accepts one connection per turn; a turn that starts every waiting request leaves a new
    // laptop's connection waiting behind all of them (measured here: 15 without the queue).
    const starts = await startsBeforeAccept(startOnePerTurn());
    assert.ok(
      starts <= 2,
      `the server started ${starts} requests between the new connection and its accept, expected at most 2`,
    );
  });

  test('every start runs, once, in the order it was queued, each on its own turn', async () => {
    const start = startOnePerTurn();
    const ran: string[] = [];
    await new Promise<void>((resolve) => {
      for (const name of ['a', 'b', 'c', 'd']) {
        start(() => {
          ran.push(name);
          // Queued during this start's turn: runs on the next turn, so it falls between two starts.
          setImmediate(() => ran.push(`turn after ${name}`));
          if (name === 'd') setImmediate(resolve);
        });
      }
    });
    assert.deepEqual(ran, [
      'a',
      'b',
      'turn after a',
      'c',
      'turn after b',
      'd',
      'turn after c',
      'turn after d',
    ]);
  });

  test('a start queued after the queue has emptied still runs', async () => {
    const start = startOnePerTurn();
    const ran: string[] = [];
    for (const name of ['first', 'second']) {
      await new Promise<void>((resolve) =>
        start(() => {
          ran.push(name);
          resolve();
        }),
      );
    }
    assert.deepEqual(ran, ['first', 'second']);
  });
});
