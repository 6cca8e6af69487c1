// Next.js calls register() once when the server starts: the outbox worker runs in the server process
// (FIRSTKEY_OUTBOX_WORKER=off disables it, e.g. on instances that should only serve requests).
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.FIRSTKEY_OUTBOX_WORKER === 'off') return;
  const { startOutboxWorker } = await import('@/lib/hr/outbox-runner');
  startOutboxWorker();
}
