import { execFile, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { testPostgresServer } from '../../scripts/test-postgres.mjs';
import type { SeededHire } from './seed';

// The production topology on one machine: nginx (Debian's binary, as the current user, everything
// under a temp folder) terminating TLS on 127.0.0.1 and asking for client certificates, forwarding
// to two Firstkey instances (the production build, server.ts in proxy mode, nginx format) round-robin,
// both on one fresh PostgreSQL database. nginx runs deploy/nginx.conf itself, with its addresses,
// paths and secret replaced. A webhook receiver in this process stands in for HR and counts ids.

const exec = promisify(execFile);
const NGINX = process.env.FIRSTKEY_NGINX ?? '/usr/sbin/nginx';
// The compiled front door, as `npm start` and the main e2e suite run it (scripts/build-bundles.mjs).
const NODE_SERVER = ['.next/firstkey-server.mjs'];
export const INSTANCE_IDS = ['fk-a', 'fk-b'] as const;
export type InstanceId = (typeof INSTANCE_IDS)[number];
const HR_STATUS_SECRET = `whsec_${Buffer.from('topology-hr-status-secret-0123').toString('base64')}`;
/**
 * Short, so the test sees a dead instance's leased messages taken over within seconds; long enough
 * that a send (timeout: half the lease) never times out on this busy machine and is sent again.
 */
export const LEASE_SECONDS = 6;

export type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** Counts each webhook-id it receives; answers after `delayMs` (a slow HR endpoint holds leases). */
export class Receiver {
  readonly counts = new Map<string, number>();
  delayMs = 0;
  private readonly server = http.createServer((req, res) => {
    const id = String(req.headers['webhook-id'] ?? '');
    req.resume();
    req.on('end', () => {
      this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
      setTimeout(() => res.writeHead(204).end(), this.delayMs);
    });
  });
  async listen(port: number) {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
  }
  close() {
    this.server.closeAllConnections();
    this.server.close();
  }
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

function fail(message: string): never {
  throw new Error(`Topology tests: ${message}`);
}

async function requireNginx() {
  if (!fs.existsSync(NGINX))
    fail(
      `nginx is needed at ${NGINX} (apt-get install nginx; .ci/run installs it) or FIRSTKEY_NGINX. These tests are never skipped.`,
    );
}

/** Replaces each `from` of deploy/nginx.conf, insisting it is there: the test runs the shipped file. */
function nginxSite(replacements: [string | RegExp, string][]): string {
  let site = fs.readFileSync('deploy/nginx.conf', 'utf8');
  for (const [from, to] of replacements) {
    if (!(typeof from === 'string' ? site.includes(from) : from.test(site)))
      fail(`deploy/nginx.conf no longer contains ${String(from)}; update e2e/topology/topology.ts`);
    site = typeof from === 'string' ? site.split(from).join(to) : site.replace(from, to);
  }
  return site;
}

export class Topology {
  /** Made by start(): Playwright also loads the spec (and builds this object) just to list tests. */
  dir = '';
  get dataDir() {
    return path.join(this.dir, 'data');
  }
  readonly receiver = new Receiver();
  readonly processes = new Map<InstanceId, ChildProcess>();
  readonly proxySecret = crypto.randomBytes(33).toString('base64');
  databaseUrl = '';
  hires: SeededHire[] = [];
  private nginx: ChildProcess | null = null;
  private stopPostgres: () => void = () => {};
  private dropDatabase: () => Promise<void> = async () => {};
  private readonly logs = new Map<string, string>();

  constructor(readonly basePort: number) {}

  get origin() {
    return `https://localhost:${this.basePort}`;
  }
  portOf(id: InstanceId) {
    return this.basePort + 1 + INSTANCE_IDS.indexOf(id);
  }
  get receiverPort() {
    return this.basePort + 3;
  }
  get caPem() {
    return fs.readFileSync(path.join(this.dataDir, 'ca', 'ca.pem'));
  }

  /** Environment shared by both instances, the seed script and the CLI: only the database in common. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: this.databaseUrl,
      FIRSTKEY_DATA_DIR: this.dataDir,
      FIRSTKEY_ORIGIN: this.origin,
      FIRSTKEY_LISTEN_HOST: '127.0.0.1',
      FIRSTKEY_DEVICE_CERT_MODE: 'proxy',
      FIRSTKEY_PROXY_CERT_FORMAT: 'nginx',
      FIRSTKEY_PROXY_SECRET: this.proxySecret,
      NEXTAUTH_SECRET: 'topology-session-secret-'.padEnd(48, 'x'),
      FIRSTKEY_OUTBOX_KEY: Buffer.alloc(32, 7).toString('base64url'),
      FIRSTKEY_HR_STATUS_URL: `http://127.0.0.1:${this.receiverPort}/hr`,
      FIRSTKEY_HR_STATUS_SECRET: HR_STATUS_SECRET,
      FIRSTKEY_OUTBOX_LEASE_SECONDS: String(LEASE_SECONDS),
      ...extra,
    };
  }

  private started = Date.now();
  /** Wall times of the start-up steps, for the report. */
  readonly timings: string[] = [];
  private mark(step: string) {
    this.timings.push(`${step} +${((Date.now() - this.started) / 1000).toFixed(1)} s`);
  }

  async start(hireCount: number) {
    this.started = Date.now();
    await requireNginx();
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firstkey-topology-'));
    const server = await testPostgresServer();
    this.stopPostgres = () => server.stop();
    const name = `firstkey_topology_${crypto.randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    this.databaseUrl = url.toString();
    this.dropDatabase = async () => {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    };

    const seed = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        './scripts/node-hooks.mjs',
        'e2e/topology/seed.ts',
        String(hireCount),
      ],
      { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let seedOut = '';
    let seedErr = '';
    seed.stdout!.on('data', (chunk) => (seedOut += chunk));
    const seeded = new Promise<void>((resolve, reject) =>
      seed.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`seeding failed (${code}):\n${seedErr}`)),
      ),
    );
    const ready = new Promise<void>((resolve, reject) => {
      seed.stderr!.on('data', (chunk) => {
        seedErr += chunk;
        if (seedErr.includes('ready\n')) resolve();
      });
      seeded.catch(reject);
    });
    await ready;
    this.mark('database migrated');
    await this.receiver.listen(this.receiverPort);
    // The instances start while the seed adds hires: both only need the migrated database.
    await Promise.all([...INSTANCE_IDS.map((id) => this.startInstance(id)), seeded]);
    this.hires = JSON.parse(seedOut) as SeededHire[];
    this.mark('instances answer');
    await this.startNginx();
    this.mark('nginx answers');
  }

  async startInstance(id: InstanceId) {
    const child = spawn(process.execPath, NODE_SERVER, {
      env: this.env({
        PORT: String(this.portOf(id)),
        FIRSTKEY_INSTANCE_ID: id,
        // Each instance its own data folder: nothing but the database and the env is shared.
        FIRSTKEY_DATA_DIR: path.join(this.dir, id),
        FIRSTKEY_TLS_CERT: path.join(this.dataDir, 'tls', 'server.pem'),
        FIRSTKEY_TLS_KEY: path.join(this.dataDir, 'tls', 'server-key.pem'),
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.logs.set(id, '');
    const keep = (chunk: Buffer) => this.logs.set(id, (this.logs.get(id)! + chunk).slice(-8_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.processes.set(id, child);
    await this.until(`instance ${id} answers /api/health`, 60_000, async () => {
      if (!running(child)) fail(`instance ${id} exited:\n${this.logs.get(id)}`);
      const answer = await this.direct(id, '/api/health').catch(() => null);
      return answer?.status === 200;
    });
  }

  /** SIGKILL: no shutdown handler runs, connections and leases are left as they were. */
  kill(id: InstanceId): number {
    const child = this.processes.get(id)!;
    child.kill('SIGKILL');
    return child.pid!;
  }

  private async startNginx() {
    const upstreams = INSTANCE_IDS.map(
      (id) => `    server 127.0.0.1:${this.portOf(id)} max_fails=1 fail_timeout=3s;\n`,
    ).join('');
    const site = nginxSite([
      [/( {4}server 10\.0\.0\.1\d:3443 [^\n]*\n)+/, upstreams],
      ['listen 443 ssl;', `listen 127.0.0.1:${this.basePort} ssl;`],
      ['server_name firstkey.example.com;', 'server_name localhost;'],
      ['/etc/nginx/firstkey/server.pem', path.join(this.dataDir, 'tls', 'server.pem')],
      ['/etc/nginx/firstkey/server-key.pem', path.join(this.dataDir, 'tls', 'server-key.pem')],
      ['/etc/nginx/firstkey/upstream-ca.pem', path.join(this.dataDir, 'ca', 'ca.pem')],
      ['REPLACE-WITH-FIRSTKEY_PROXY_SECRET', this.proxySecret],
    ]);
    const prefix = path.join(this.dir, 'nginx');
    fs.mkdirSync(prefix);
    fs.writeFileSync(path.join(prefix, 'firstkey.conf'), site);
    // Everything nginx writes lives under the prefix, so it runs as any user; as root its workers
    // stay root too (the default, nobody, could not use the temp folder).
    const asRoot = process.getuid?.() === 0;
    fs.writeFileSync(
      path.join(prefix, 'nginx.conf'),
      [
        asRoot ? `user ${os.userInfo().username};` : '',
        'daemon off;',
        'worker_processes 1;',
        `pid ${prefix}/nginx.pid;`,
        `error_log ${prefix}/error.log warn;`,
        'events { worker_connections 1024; }',
        'http {',
        `  access_log ${prefix}/access.log;`,
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
          (kind) => `  ${kind}_temp_path ${prefix}/${kind}-temp;`,
        ),
        '  include firstkey.conf;',
        '}',
      ].join('\n'),
    );
    const child = spawn(
      NGINX,
      ['-p', `${prefix}/`, '-c', 'nginx.conf', '-e', `${prefix}/error.log`],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    this.nginx = child;
    await this.until('nginx answers', 10_000, async () => {
      if (!running(child))
        fail(`nginx exited: ${output}${fs.readFileSync(`${prefix}/error.log`, 'utf8')}`);
      const answer = await this.request('GET', '/api/health').catch(() => null);
      return answer?.status === 200;
    });
  }

  /** Polls `check` every 100 ms until it holds, or fails naming what it waited for. */
  async until(what: string, timeoutMs: number, check: () => Promise<boolean>) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    fail(`timed out after ${timeoutMs / 1000} s waiting until ${what}`);
  }

  /** A client identity for requests through nginx: a laptop's certificate, or none. */
  agent(device: { certPath: string; keyPath: string } | null, keepAlive = true): https.Agent {
    return new https.Agent({
      keepAlive,
      ca: this.caPem,
      ...(device
        ? { cert: fs.readFileSync(device.certPath), key: fs.readFileSync(device.keyPath) }
        : {}),
    });
  }

  /** One request through nginx. */
  request(
    method: string,
    target: string,
    options: { agent?: https.Agent; body?: unknown; cookie?: string } = {},
  ): Promise<Answer> {
    return this.send(this.basePort, method, target, options);
  }

  /** One request straight to an instance, around nginx. */
  direct(id: InstanceId, target: string): Promise<Answer> {
    return this.send(this.portOf(id), 'GET', target, { agent: this.agent(null, false) });
  }

  private send(
    port: number,
    method: string,
    target: string,
    options: { agent?: https.Agent; body?: unknown; cookie?: string },
  ): Promise<Answer> {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    return new Promise((resolve, reject) => {
      const request = https.request(
        {
          host: '127.0.0.1',
          servername: 'localhost',
          port,
          method,
          path: target,
          agent: options.agent ?? this.agent(null, false),
          headers: {
            host: `localhost:${port}`,
            ...(body ? { 'content-type': 'application/json', origin: this.origin } : {}),
            ...(options.cookie ? { cookie: options.cookie } : {}),
          },
          timeout: 30_000,
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode!, headers: response.headers, body: text }),
          );
        },
      );
      request.on('timeout', () =>
        request.destroy(new Error(`${method} ${target}: no answer in 30 s`)),
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  /** `firstkey <args>` against the topology's database, as an operator would run it. */
  async cli<T>(...args: string[]): Promise<T> {
    const { stdout } = await exec(process.execPath, ['bin/firstkey.mjs', ...args], {
      env: this.env(),
    });
    return JSON.parse(stdout) as T;
  }

  async query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return (await client.query<T>(sql, values)).rows;
    } finally {
      await client.end();
    }
  }

  log(id: string) {
    return this.logs.get(id) ?? '';
  }

  async stop() {
    const live = [...this.processes.values(), this.nginx].filter(
      (child): child is ChildProcess => child !== null && running(child),
    );
    const exited = live.map((child) => new Promise((resolve) => child.once('exit', resolve)));
    for (const child of live) child.kill('SIGTERM');
    this.receiver.close();
    await Promise.all(exited);
    await this.dropDatabase().catch(() => {});
    this.stopPostgres();
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
