import { problem } from '@/lib/http/problem';

// Every refusal a staff, role, recovery, HR or MDM action can return, with its HTTP status, in one table
// (the counterpart of lib/enrollment/messages.ts for the hire). lib functions return
// `{ ok: false, reason, message }` — the message names the people and things involved, so it is
// written where they are known — and routes answer `refusal(result)`. A reason missing here does not
// type-check.
export const STAFF_REFUSALS = {
  // Nothing by that id (or nothing this person may know of).
  unknown_employee: 404,
  unknown_request: 404,
  unknown_passkey: 404,
  unknown_item: 404,
  // Who is asking may not do this.
  not_allowed: 403,
  same_person: 403,
  not_independent: 403,
  not_your_report: 403,
  // Bad input a person can correct.
  ttl_out_of_range: 400,
  bad_certificate: 400,
  certificate_expired: 400,
  verification_failed: 400,
  // The action conflicts with how things stand now.
  own_roles: 409,
  own_recovery: 409,
  last_admin: 409,
  offboarded: 409,
  already_pending: 409,
  not_pending: 409,
  expired: 409,
  last_passkey: 409,
  credential_exists: 409,
  challenge_invalid: 409,
  // The passkey policy refused a new passkey (its message says what to use instead).
  passkey_not_allowed: 403,
  // The passkey policy and the FIDO metadata it checks against.
  no_metadata: 409,
  metadata_invalid: 400,
  metadata_stale: 400,
  metadata_not_newer: 409,
  no_device: 409,
  device_not_independent: 409,
  device_changed: 409,
  link_refused: 409,
  already_revoked: 409,
  already_enrolled: 409,
  already_resolved: 409,
  certificate_in_use: 409,
  duplicate_employee_id: 409,
  duplicate_email: 409,
  unknown_manager: 409,
  no_open_link: 409,
  // HR events: a delivery that cannot apply (HR retries it) or that carries an unreadable certificate.
  refused: 409,
  invalid_certificate: 422,
  // MDM device assignments: an employeeId and an email that name two different people.
  person_mismatch: 422,
} as const satisfies Record<string, 400 | 403 | 404 | 409 | 422>;

export type StaffRefusalCode = keyof typeof STAFF_REFUSALS;

export function refusal(result: { reason: StaffRefusalCode; message: string }): Response {
  return problem(STAFF_REFUSALS[result.reason], result.reason, result.message);
}
