// `npm run bench` (topology part): the production shape — nginx terminating TLS in front of Firstkey
// instances in proxy mode on one PostgreSQL (e2e/topology/topology.ts starts it) — with two instances
// behind nginx, then one (the other stopped). Each round: 16 clients on keep-alive connections
// presenting a laptop's certificate, sending the enrollment page's peek (POST /api/enroll/peek: the
// certificate from nginx, the link looked up, the device compared, audited) for a fixed time.
// Prints requests per second and p50/p95 latency; asserts nothing. Needs the production build
// (`npm run build`), nginx and PostgreSQL, as the topology tests do.
import { performance } from 'node:perf_hooks';
import { Topology } from '../e2e/topology/topology';

const CLIENTS = 16;
const ROUND_MS = 8_000;

const figures: Record<string, { perSecond: number; p50Ms: number; p95Ms: number }> = {};
// FIRSTKEY_BENCH_TOPOLOGY_PORT, else BENCH_PORT + 10 (nginx; the instances and receiver the next 3).
const topology = new Topology(
  Number(process.env.FIRSTKEY_BENCH_TOPOLOGY_PORT ?? Number(process.env.BENCH_PORT ?? 3750) + 10),
);
try {
  await topology.start(1);
  const hire = topology.hires[0]!;

  async function round(label: string, print = true) {
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    const agent = topology.agent(hire);
    const until = performance.now() + ROUND_MS;
    // Warm the connections first.
    await Promise.all(
      Array.from({ length: CLIENTS }, () =>
        topology.request('POST', '/api/enroll/peek', { agent, body: { token: hire.token } }),
      ),
    );
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < until) {
          const sent = performance.now();
          const answer = await topology.request('POST', '/api/enroll/peek', {
            agent,
            body: { token: hire.token },
          });
          latencies.push(performance.now() - sent);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    agent.destroy();
    latencies.sort((a, b) => a - b);
    if (!print) return;
    const at = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    figures[label] = {
      perSecond: Math.round(latencies.length / seconds),
      p50Ms: Number(at(0.5).toFixed(1)),
      p95Ms: Number(at(0.95).toFixed(1)),
    };
    console.log(
      `  ${label.padEnd(28)} ${(latencies.length / seconds).toFixed(0).padStart(5)} req/s   p50 ${at(0.5).toFixed(1)} ms   p95 ${at(0.95).toFixed(1)} ms   statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
  }

  console.log(
    `\nTopology: nginx + PostgreSQL, ${CLIENTS} clients, ${ROUND_MS / 1000} s per round (POST /api/enroll/peek)`,
  );
  // Unmeasured: both instances compile and cache the route's code paths first.
  await round('warm-up', false);
  await round('two instances behind nginx');
  topology.processes.get('fk-b')!.kill('SIGTERM');
  await new Promise((resolve) => topology.processes.get('fk-b')!.once('exit', resolve));
  // nginx notices at its first failed connection and sends everything to fk-a.
  await topology.request('GET', '/api/health');
  await round('one instance behind nginx');
} finally {
  await topology.stop();
}
// The last line, for bench/run.mjs: every figure of this bench as one JSON object.
console.log(JSON.stringify(figures));
