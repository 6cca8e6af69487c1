// The shape of a bridge token and of an enrollment session secret: 32 random bytes in base64url
// without padding are exactly 43 URL-safe characters. No imports: the enrollment page checks a
// link's fragment with the same pattern before it sends anything.
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
