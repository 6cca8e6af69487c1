/**
 * Outbound webhooks (HR status, MDM push): retried until a 2xx with exponential backoff and full
 * jitter, 2 s doubling to at most 15 minutes; flagged on the IT console after 5 failed attempts.
 * A claimed message is leased for 30 s (FIRSTKEY_OUTBOX_LEASE_SECONDS), so several app instances never
 * send it at the same time; an instance that dies mid-send leaves it to another once the lease lapses.
 */
export const OUTBOX = {
  batch: 20,
  leaseMs: 30_000,
  baseDelayMs: 2_000,
  maxDelayMs: 15 * 60_000,
  flagAfterAttempts: 5,
  requestTimeoutMs: 10_000,
} as const;
