import { problem } from '@/lib/http/problem';

// The HTTP status of every refusal a staff, recovery or role action can return, in one table (like
// lib/enrollment/messages.ts for the hire). lib returns `{ ok: false, reason, message }`; routes
// answer with `refusal(result)`. A reason not listed is a conflict with the current state (409).
const STATUS: Record<string, number> = {
  unknown_employee: 404,
  unknown_request: 404,
  unknown_passkey: 404,
  not_allowed: 403,
  same_person: 403,
  not_independent: 403,
  ttl_out_of_range: 400,
};

export function refusal(result: { reason: string; message: string }): Response {
  return problem(STATUS[result.reason] ?? 409, result.reason, result.message);
}
