// Every number that decides how long something lives or how often it may fail, with its reason.
// Tests import these constants rather than repeating them.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Bridge token (enrollment link) lifetime: DESIGN.md "The bridge token". */
export const LINK_TTL = {
  default: 72 * HOUR,
  /** Shorter would expire before a hire in a meeting gets to it. */
  min: 15 * MINUTE,
  /** Longer would leave a live credential-minting link lying around for weeks. */
  max: 14 * DAY,
  /** The first admin's link, printed on the server's terminal (DESIGN.md "People"). */
  bootstrap: 10 * MINUTE,
} as const;

/** A joiner's link becomes valid this long before their start date (DESIGN.md). */
export const LINK_VALID_BEFORE_START = 3 * DAY;

/** 256 random bits per token (DESIGN.md): guessing is hopeless, so failed attempts are only throttled. */
export const TOKEN_BYTES = 32;

/**
 * Enrollment session opened by redeeming a link: 10 minutes, NIST SP 800-63B-4's limit for a binding
 * code. The passkey ceremony may be retried inside it.
 */
export const ENROLLMENT_SESSION_TTL = 10 * MINUTE;

/** WebAuthn challenges: single use, 5 minutes (the ceremony's own timeout). */
export const CHALLENGE_TTL = 5 * MINUTE;

/**
 * How long the enrollment page waits for the laptop's passkey prompt before it gives up and says so.
 * A person answers a prompt in seconds; a prompt nobody answers in two minutes is one nobody sees
 * (a hidden window, a missing authenticator), and browsers' own default is up to 5 minutes of silence.
 */
export const CEREMONY_TIMEOUT = 2 * MINUTE;

/**
 * "Ask IT for a new link" from a failure page: at most one open request per person (a second press
 * finds the first), and at most 3 in a day, so a person or a script holding an old link cannot flood
 * the IT console.
 */
export const NEW_LINK_REQUESTS = { perPersonPerWindow: 3, window: DAY } as const;

/**
 * Throttling of peek/redeem, counted in the database so the limits hold across app instances
 * (lib/enrollment/throttle.ts says who is charged): 10 failed attempts per device certificate in
 * 15 minutes — one laptop has no reason for more — and 100 per client address, because a whole
 * cohort of hires may share an office's NAT address. The address limit never blocks a request
 * that presents the link's own device.
 */
export const THROTTLE = { perDevice: 10, perAddress: 100, window: 15 * MINUTE } as const;

/** Request bodies of the enrollment API: a WebAuthn response is a few KiB; nothing needs more. */
export const MAX_BODY_BYTES = 16 * 1024;
