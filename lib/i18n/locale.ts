// Which language a hire-facing page speaks: the one rule (README "Languages"). The person's own record
// (`preferredLanguage`, carried by HR events and SCIM) when the page knows who they are, else the best
// match in the browser's Accept-Language (q-values honoured), else English. Pure: the enrollment page's
// client code runs it too, once the link's peek has named the hire.

export const LOCALES = ['en', 'de'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** `de-DE`, `DE`, `de_AT` → `de`; a tag naming no supported language (or junk) → null. */
export function normaliseLocale(tag: string | null | undefined): Locale | null {
  if (typeof tag !== 'string') return null;
  const match = /^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*\s*$/.exec(tag);
  if (!match) return null;
  const language = match[1]!.toLowerCase();
  return (LOCALES as readonly string[]).includes(language) ? (language as Locale) : null;
}

/**
 * The supported language the browser prefers most (RFC 9110 §12.5.4): ranges in order of their
 * q-value (ties in header order), `q=0` meaning "not this one"; `*` is no preference of its own.
 */
export function bestFromAcceptLanguage(header: string | null | undefined): Locale | null {
  if (!header) return null;
  const ranges = header
    .slice(0, 1000)
    .split(',')
    .map((entry, index) => {
      const [range = '', ...params] = entry.split(';').map((part) => part.trim());
      const q = params
        .map((param) => /^q=([01](?:\.\d{0,3})?)$/i.exec(param))
        .find((found) => found !== null);
      return { range, q: q ? Number(q[1]) : 1, index };
    })
    .filter((entry) => entry.range && entry.q > 0 && entry.q <= 1)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { range } of ranges) {
    const locale = normaliseLocale(range);
    if (locale) return locale;
  }
  return null;
}

/** The page's language: the person's record wins over the browser; English when neither names one. */
export function resolveLocale(from: {
  record?: string | null;
  acceptLanguage?: string | null;
  fallback?: Locale;
}): Locale {
  return (
    normaliseLocale(from.record) ??
    bestFromAcceptLanguage(from.acceptLanguage) ??
    from.fallback ??
    DEFAULT_LOCALE
  );
}

/** The Intl locale dates and times are written in: English keeps day-month-year, 24 h. */
export function dateLocale(locale: Locale): string {
  return locale === 'de' ? 'de-DE' : 'en-GB';
}

/**
 * Pages that stay in English whatever the person's language: the start page and the staff screens
 * (IT console, manager view, the apps' sign-in interaction). Everything else a hire can reach (the
 * enrollment page, /signin, /account, "page not found") speaks the resolved language.
 */
const ENGLISH_ONLY = ['/it', '/manager', '/console', '/oidc', '/scim'];

export function isHireFacingPath(path: string | null | undefined): boolean {
  const pathname = (path ?? '/').split(/[?#]/)[0] || '/';
  if (pathname === '/') return false;
  return !ENGLISH_ONLY.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/** Whose record names the language on this path: the signed-in person on their passkeys page. */
export function readsSignedInRecord(path: string | null | undefined): boolean {
  const pathname = (path ?? '/').split(/[?#]/)[0] || '/';
  return pathname === '/account' || pathname.startsWith('/account/');
}
