// test-databases: sqlite
// (no database: a real HTTP server's event loop, the same on both)
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { startRequestsInTurns } from '@/lib/http/turns';

/** CPU spent synchronously on the event loop, as a route handler spends it. */
function busy(milliseconds: number) {
  const until = performance.now() + milliseconds;
  let digest = Buffer.alloc(32);
  while (performance.now() < until) digest = crypto.createHash('sha256').update(digest).digest();
}

type Start = ReturnType<typeof startRequestsInTurns>;
const open = { socket: { destroyed: false } };

const CLIENTS = 30;
const PROBE_AFTER = 300;

/**
 * A busy server: CLIENTS keep-alive clients each send their next request as soon as the last is
 * answered, so about CLIENTS requests are ready on every turn. Once PROBE_AFTER requests have started,
 * a new connection is opened (its TCP handshake completes in the kernel at once); the answer is how
 * many requests the server started before its 'connection' event for it.
 */
async function startsBeforeAccept(start: Start): Promise<number> {
  let started = 0;
  let probeAt: number | null = null;
  let startsBeforeAccept: number | null = null;
  let resolveAccepted!: () => void;
  const accepted = new Promise<void>((resolve) => (resolveAccepted = resolve));
  let stopping = false;
  const server = http.createServer({ keepAliveTimeout: 10_000 }, (request, response) => {
    request.resume();
    start(request, () => {
      started += 1;
      busy(1);
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
  const failures: Error[] = [];
  const clients = Array.from({ length: CLIENTS }, async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    while (!stopping && failures.length === 0) {
      await new Promise<void>((resolve) =>
        http
          .get({ host: '127.0.0.1', port, path: '/', agent }, (response) => {
            response.resume();
            response.on('end', resolve);
          })
          .on('error', (error) => {
            failures.push(error);
            resolve();
            resolveAccepted();
          }),
      );
    }
    agent.destroy();
  });
  await accepted;
  stopping = true;
  await Promise.all(clients);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  assert.deepEqual(failures, []);
  return startsBeforeAccept!;
}

describe('request starts in turns of the event loop', () => {
  test(
    'a busy server accepts a new connection before it has started the requests already waiting',
    { timeout: 60_000 },
    async () => {
      // libuv accepts one connection per turn; a turn that starts every waiting request leaves a new
      // laptop's connection waiting behind all of them (measured here: 15 without the queue).
      // No request here waits long enough to start early (MAX_WAIT_MS): one start per turn.
      const starts = await startsBeforeAccept(startRequestsInTurns({ maxWaitMs: 60_000 }));
      assert.ok(
        starts <= 2,
        `the server started ${starts} requests between the new connection and its accept, expected at most 2`,
      );
    },
  );

  test('requests that have not waited long start one per turn, in the order queued', async () => {
    const start = startRequestsInTurns();
    const ran: string[] = [];
    await new Promise<void>((resolve) => {
      for (const name of ['a', 'b', 'c', 'd']) {
        start(open, () => {
          busy(2);
          ran.push(name);
          // Queued during this start's turn: runs on the next turn, before the next start.
          setImmediate(() => ran.push(`turn after ${name}`));
          if (name === 'd') setImmediate(resolve);
        });
      }
    });
    assert.deepEqual(ran, [
      'a',
      'turn after a',
      'b',
      'turn after b',
      'c',
      'turn after c',
      'd',
      'turn after d',
    ]);
  });

  test('when other work makes every turn long, requests that have waited past the limit all start', async () => {
    // 5 ms of work that never queues on every turn (a flood of refusals, say), and 20 queued starts of
    // 0.5 ms each: one start per turn would take 20 turns; past 20 ms of waiting they all go.
    const start = startRequestsInTurns({ maxWaitMs: 20 });
    let turn = 0;
    let done = false;
    const flood = () => {
      turn += 1;
      busy(5);
      if (!done) setImmediate(flood);
    };
    setImmediate(flood);
    const turnsOfStarts = new Set<number>();
    await new Promise<void>((resolve) => {
      for (let i = 0; i < 20; i += 1)
        start(open, () => {
          busy(0.5);
          turnsOfStarts.add(turn);
          if (i === 19) resolve();
        });
    });
    done = true;
    assert.ok(
      turnsOfStarts.size <= 8,
      `20 starts took ${turnsOfStarts.size} turns of the flood, expected at most 8`,
    );
  });

  test('a request whose connection closed while it waited is not started', async () => {
    const start = startRequestsInTurns();
    const ran: string[] = [];
    const gone = { socket: { destroyed: false } };
    await new Promise<void>((resolve) => {
      start(open, () => ran.push('first'));
      start(gone, () => ran.push('gone'));
      start(open, () => {
        ran.push('last');
        resolve();
      });
      gone.socket.destroyed = true;
    });
    assert.deepEqual(ran, ['first', 'last']);
  });

  test('a start queued after the queue has emptied still runs', async () => {
    const start = startRequestsInTurns();
    const ran: string[] = [];
    for (const name of ['first', 'second']) {
      await new Promise<void>((resolve) =>
        start(open, () => {
          ran.push(name);
          resolve();
        }),
      );
    }
    assert.deepEqual(ran, ['first', 'second']);
  });
});
