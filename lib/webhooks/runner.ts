import 'server-only';
import crypto from 'node:crypto';
import { db } from '@/lib/db';
import { sweepAutoLinks } from '@/lib/enrollment/auto-link-sweep';
import { AUTO_LINK_SWEEP } from '@/lib/enrollment/policy';
import { env } from '@/lib/env';
import { deliverDueMessages } from '@/lib/webhooks/worker';

const holder = globalThis as unknown as { firstkeyOutboxWorker?: NodeJS.Timeout };

/**
 * Runs the outbox worker in this server process, one pass at a time, every `everyMs`. Once a minute a
 * pass first issues the links of people whose start date entered the window (sweepAutoLinks), so
 * their pushes leave in the same pass.
 */
export function startOutboxWorker(everyMs = 2_000): void {
  if (holder.firstkeyOutboxWorker) return;
  const owner = `${process.pid}-${crypto.randomUUID()}`;
  let running = false;
  let lastSweep = 0;
  holder.firstkeyOutboxWorker = setInterval(() => {
    if (running) return;
    running = true;
    const at = new Date();
    const sweepDue = at.getTime() - lastSweep >= AUTO_LINK_SWEEP.everyMs;
    if (sweepDue) lastSweep = at.getTime();
    const sweep = sweepDue ? sweepAutoLinks(db(), { at, origin: env().origin }) : Promise.resolve();
    sweep
      .catch((error: unknown) => console.error(`link sweep: ${(error as Error).message}`))
      .then(() => deliverDueMessages(db(), { owner }))
      .catch((error: unknown) => console.error(`outbox worker: ${(error as Error).message}`))
      .finally(() => {
        running = false;
      });
  }, everyMs);
  holder.firstkeyOutboxWorker.unref();
}
