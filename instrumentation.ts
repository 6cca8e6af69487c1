// Next.js calls register() once when the server starts: the outbox worker runs in the server process
// (FIRSTKEY_OUTBOX_WORKER=off disables it, e.g. on instances that should only serve requests).
export async function register() {
  // NEXT_RUNTIME is Next's own: the worker needs Node, never the edge runtime.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { env } = await import('@/lib/env');
  if (!env().outboxWorker) return;
  const { startOutboxWorker } = await import('@/lib/webhooks/runner');
  startOutboxWorker();
}
