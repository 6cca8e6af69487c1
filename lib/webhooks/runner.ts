import 'server-only';
import crypto from 'node:crypto';
import { db } from '@/lib/db';
import { deliverDueMessages } from '@/lib/webhooks/worker';

const holder = globalThis as unknown as { firstkeyOutboxWorker?: NodeJS.Timeout };

/** Runs the outbox worker in this server process, one pass at a time, every `everyMs`. */
export function startOutboxWorker(everyMs = 2_000): void {
  if (holder.firstkeyOutboxWorker) return;
  const owner = `${process.pid}-${crypto.randomUUID()}`;
  let running = false;
  holder.firstkeyOutboxWorker = setInterval(() => {
    if (running) return;
    running = true;
    deliverDueMessages(db(), { owner })
      .catch((error: unknown) => console.error(`outbox worker: ${(error as Error).message}`))
      .finally(() => {
        running = false;
      });
  }, everyMs);
  holder.firstkeyOutboxWorker.unref();
}
