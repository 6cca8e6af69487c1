import 'server-only';
import {
  ENROLLMENT_PROBLEM_STATUS,
  problemMessage,
  type EnrollmentProblemCode,
} from '@/lib/enrollment/messages';
import { problem } from '@/lib/http/problem';

/** One mapping from an enrollment outcome's reason to its status code and message. */
export function enrollmentProblem(
  code: EnrollmentProblemCode,
  extra: {
    retryAfterSeconds?: number;
    validFrom?: Date;
    reference?: string;
    openedAt?: Date;
    language?: string | null;
    detail?: string;
    headers?: Record<string, string>;
  } = {},
): Response {
  const status = ENROLLMENT_PROBLEM_STATUS[code];
  const message = problemMessage(code);
  return problem(status, code, extra.detail ? `${message} (${extra.detail})` : message, extra);
}
