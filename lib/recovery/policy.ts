// Recovery's numbers, with their reasons (DESIGN.md "Contracts": recovery).

/** A recovery request waits this long for its second person before it lapses: one working day. */
export const RECOVERY_REQUEST_TTL = 24 * 60 * 60_000;
