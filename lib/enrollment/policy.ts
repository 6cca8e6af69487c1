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

/**
 * Links issued with no human step (an HR joiner, an MDM device assignment, the sweep) are issued only
 * inside this window around the start day, in the organisation's zone: from the moment such a link is
 * valid (LINK_VALID_BEFORE_START before the start day begins) until 30 days after the start day ends.
 * Earlier, the link would sit on the laptop for weeks before it works — the sweep issues it when the
 * window opens instead. Later, the record is not a joiner any more (an IdP importing staff who started
 * long ago); IT issues their link.
 */
export const AUTO_LINK_WINDOW = {
  beforeStartDay: LINK_VALID_BEFORE_START,
  afterStartDay: 30 * DAY,
};

/**
 * The sweep (lib/enrollment/auto-link-sweep.ts, run by the outbox worker) looks for persons whose start
 * date entered AUTO_LINK_WINDOW once a minute — a start date is a day, so a minute late is on time —
 * and issues at most `batch` links per query round trip.
 */
export const AUTO_LINK_SWEEP = { everyMs: MINUTE, batch: 100 } as const;

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
