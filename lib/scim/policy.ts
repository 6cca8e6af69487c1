// SCIM provisioning's numbers, each with its reason (README "SCIM provisioning").

/** The most resources one page of GET /Users returns (ServiceProviderConfig `filter.maxResults`). */
export const SCIM_MAX_RESULTS = 200;
/** A page's size when the client names no `count`; Okta and Entra always do. */
export const SCIM_DEFAULT_COUNT = 100;
/** A SCIM body is one user: a few KiB even with every attribute Entra maps. */
export const SCIM_MAX_BODY_BYTES = 64 * 1024;
/** A connection's bearer token: 256 random bits, like every other secret Firstkey makes. */
export const SCIM_TOKEN_BYTES = 32;
/** The token's recognisable prefix, so a leaked one is easy to find in logs and secret scanners. */
export const SCIM_TOKEN_PREFIX = 'fkscim_';
/**
 * `lastUsedAt` moves at most once a minute: the console shows whether a connection is in use, and a
 * provisioning run of thousands of requests must not write a row for each.
 */
export const SCIM_LAST_USED_RESOLUTION_MS = 60_000;
