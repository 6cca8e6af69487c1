// Staff session rules (issue "Staff sign-in"), in one place with their reasons.
const MINUTE = 60_000;

/** Signed out after 30 minutes without activity: an unattended console is a risk. */
export const SESSION_IDLE = 30 * MINUTE;
/** Signed out 12 hours after signing in, active or not: one working day. */
export const SESSION_ABSOLUTE = 12 * 60 * MINUTE;
/** Sensitive actions (revoke, reissue, roles, devices, recovery) need a passkey assertion this recent. */
export const FRESH_ASSERTION = 5 * MINUTE;

/**
 * Roles whose grant from the console takes two people (a request and an independent approval): `it`
 * runs enrollment for everyone. `manager` shows one's direct reports and lets one be the second
 * person for their recoveries — which the independence rule already guards — so one IT member grants it.
 */
export const TWO_PERSON_ROLES: ReadonlySet<string> = new Set(['it']);
/** A role request waits this long for its second person, like a recovery request. */
export const ROLE_REQUEST_TTL = 24 * 60 * MINUTE;
