import assert from 'node:assert/strict';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GET as healthRoute } from '@/app/api/health/route';
import { createClient, db } from '@/lib/db';
import { loadEnv } from '@/lib/env';
import { checkHealth } from '@/lib/health/check';

describe('GET /api/health', () => {
  test('200 with the database reachable, naming the instance (default host:pid)', async () => {
    const response = await healthRoute();
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.status, 'ok');
    assert.equal(body.database, 'ok');
    assert.equal(body.instance, `${os.hostname()}:${process.pid}`);
    assert.equal(loadEnv({ FIRSTKEY_INSTANCE_ID: 'fk-a' }).instanceId, 'fk-a');
    assert.throws(() => loadEnv({ FIRSTKEY_INSTANCE_ID: 'a b' }), /FIRSTKEY_INSTANCE_ID/);
  });

  test('a database that is gone or never answers is reported unavailable, within the time limit', async () => {
    const missing = createClient(`file:${path.join(os.tmpdir(), 'no-such-dir-fk', 'x.db')}`);
    const gone = await checkHealth(missing, { instance: 'fk-a' });
    assert.equal(gone.ok, false);
    if (!gone.ok) assert.match(gone.message, /^The database does not answer: /);

    const refused = createClient('postgresql://postgres@127.0.0.1:1/firstkey');
    const down = await checkHealth(refused, { instance: 'fk-a' });
    assert.deepEqual(
      { ok: down.ok, instance: down.instance, database: down.database },
      { ok: false, instance: 'fk-a', database: 'unavailable' },
    );
    await refused.$disconnect();
  });

  describe('a PostgreSQL server that accepts connections and never answers', () => {
    let silent: net.Server;
    let port: number;
    const sockets: net.Socket[] = [];
    before(async () => {
      silent = net.createServer((socket) => void sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      port = (silent.address() as net.AddressInfo).port;
    });
    after(() => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    });

    test('is unavailable after the timeout, not a hung request', async () => {
      const client = createClient(`postgresql://postgres@127.0.0.1:${port}/firstkey`);
      const started = Date.now();
      const health = await checkHealth(client, { instance: 'fk-b', timeoutMs: 300 });
      assert.ok(Date.now() - started < 2_000);
      assert.equal(health.ok, false);
      if (!health.ok) assert.match(health.message, /no answer within 0.3 s/);
    });
  });

  test('the live database answers through the same check', async () => {
    const health = await checkHealth(db(), { instance: 'fk-c' });
    assert.equal(health.ok, true);
  });
});
