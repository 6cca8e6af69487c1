import 'server-only';
import type { EnrollmentProblemCode } from '@/lib/enrollment/messages';

/** Why a link cannot be used right now. Each has its own status code and its own page (messages.ts). */
export type LinkProblem = Extract<
  EnrollmentProblemCode,
  | 'malformed'
  | 'unknown'
  | 'used'
  | 'already_enrolled'
  | 'expired'
  | 'revoked'
  | 'not_yet_valid'
  | 'wrong_device'
  | 'no_certificate'
  | 'throttled'
>;

export type LinkFailure = {
  ok: false;
  reason: LinkProblem;
  retryAfterSeconds?: number;
  validFrom?: Date;
  /** The link's reference code (reference.ts), when the token named a link. */
  reference?: string;
  /**
   * The hire's language from their record, when the link was opened on their own laptop (who may
   * learn their name too), so the failure page speaks it; never to another device.
   */
  language?: string | null;
};

/** Problems that count towards throttling: a person poking at links, not a hire with a stale one. */
export const COUNTS_AS_FAILED_ATTEMPT: ReadonlySet<LinkProblem> = new Set([
  'unknown',
  'wrong_device',
  'no_certificate',
  'used',
]);
