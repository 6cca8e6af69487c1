import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { checkHealth } from '@/lib/health/check';

export const dynamic = 'force-dynamic';

/** For load balancers and operators: 200 when this instance can use the database, else 503. */
export async function GET() {
  const health = await checkHealth(db(), { instance: env().instanceId });
  return Response.json(
    health.ok
      ? {
          status: 'ok',
          instance: health.instance,
          database: health.database,
          latencyMs: health.latencyMs,
        }
      : {
          status: 'unavailable',
          instance: health.instance,
          database: health.database,
          error: { code: 'database_unavailable', message: health.message },
        },
    { status: health.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
}
