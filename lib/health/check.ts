import 'server-only';
import type { Db } from '@/lib/db';

/** A health check answers within this, even when the database does not (pg waits forever by default). */
export const HEALTH_TIMEOUT_MS = 3_000;

export type Health =
  | { ok: true; instance: string; database: 'ok'; latencyMs: number }
  | { ok: false; instance: string; database: 'unavailable'; message: string };

/** Whether this instance can use its database: one trivial query, bounded in time. */
export async function checkHealth(
  db: Db,
  options: { instance: string; timeoutMs?: number },
): Promise<Health> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? HEALTH_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([db.$queryRaw`SELECT 1`, timeout]);
    return {
      ok: true,
      instance: options.instance,
      database: 'ok',
      latencyMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    // The first line only: driver errors can run long, and a health body is read by people.
    const reason = ((error as Error).message ?? String(error)).trim().split('\n').at(-1)!;
    return {
      ok: false,
      instance: options.instance,
      database: 'unavailable',
      message: `The database does not answer: ${reason.slice(0, 200)}`,
    };
  } finally {
    clearTimeout(timer);
  }
}
