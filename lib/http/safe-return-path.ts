const BASE = 'https://firstkey.invalid';

/**
 * Where to go after sign-in: only a path on this site. Parsed the way a browser would (which drops
 * tabs and newlines, so "/\t/evil.example" is really "//evil.example"), and kept only if it stays on
 * the same origin; anything else goes to the console.
 */
export function safeReturnPath(
  value: string | string[] | undefined,
  fallback = '/console',
): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || !raw.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(raw)) return fallback;
  try {
    const url = new URL(raw, BASE);
    return url.origin === BASE ? `${url.pathname}${url.search}` : fallback;
  } catch {
    return fallback;
  }
}
