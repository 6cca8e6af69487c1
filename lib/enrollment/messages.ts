// What the hire reads when something is not right: a title (also the page's <title>), one sentence of
// what happened, one of what to do now, and whether "Ask IT for a new link" is the answer. The
// enrollment API returns these messages (in English) and the enrollment page shows them (in the hire's
// language), so they match. This is the one reason → status → page table; the browser-only problems
// (no WebAuthn, no network) are in it too. The words are in the catalogues, under `problems.<code>`
// and `newLink.<answer>` (messages/*.json).
import { translator } from '@/lib/i18n/catalogue';
import { DEFAULT_LOCALE, type Locale } from '@/lib/i18n/locale';

export type EnrollmentProblemCode =
  | 'malformed'
  | 'unknown'
  | 'used'
  | 'already_enrolled'
  | 'expired'
  | 'revoked'
  | 'not_yet_valid'
  | 'wrong_device'
  | 'no_certificate'
  | 'throttled'
  | 'no_session'
  | 'session_expired'
  | 'session_ended'
  | 'challenge_invalid'
  | 'verification_failed'
  | 'credential_exists'
  | 'passkey_not_allowed';

/** Problems the page finds by itself, with no answer from the server. */
export type BrowserProblemCode = 'unsupported' | 'network';
export type ProblemPageCode = EnrollmentProblemCode | BrowserProblemCode;

export type ProblemPage = {
  title: string;
  happened: string;
  next: string;
  /** A new link is the answer: the page offers "Ask IT for a new link". */
  askForLink: boolean;
};

/** Whether a problem's page offers "Ask IT for a new link"; its words are `problems.<code>.*`. */
type ProblemRow = { askForLink: boolean };

export const ENROLLMENT_PROBLEM_STATUS: Record<EnrollmentProblemCode, number> = {
  malformed: 400,
  unknown: 404,
  used: 409,
  already_enrolled: 409,
  expired: 410,
  revoked: 410,
  not_yet_valid: 403,
  wrong_device: 403,
  no_certificate: 403,
  throttled: 429,
  no_session: 401,
  session_expired: 410,
  session_ended: 410,
  challenge_invalid: 400,
  verification_failed: 400,
  credential_exists: 409,
  passkey_not_allowed: 403,
};

export const PROBLEM_PAGES: Record<ProblemPageCode, ProblemRow> = {
  malformed: { askForLink: false },
  unknown: { askForLink: false },
  used: { askForLink: true },
  already_enrolled: { askForLink: false },
  expired: { askForLink: true },
  revoked: { askForLink: true },
  not_yet_valid: { askForLink: false },
  wrong_device: { askForLink: false },
  no_certificate: { askForLink: false },
  throttled: { askForLink: false },
  no_session: { askForLink: false },
  session_expired: { askForLink: true },
  session_ended: { askForLink: true },
  challenge_invalid: { askForLink: false },
  verification_failed: { askForLink: false },
  credential_exists: { askForLink: false },
  // The passkey policy refused it; the API's message says which rule and what to use instead.
  passkey_not_allowed: { askForLink: false },
  unsupported: { askForLink: false },
  network: { askForLink: false },
};

/** A problem's page in `locale`: title, what happened, what to do now, and whether to offer a new link. */
export function problemPage(code: ProblemPageCode, locale: Locale = DEFAULT_LOCALE): ProblemPage {
  const t = translator(locale);
  return {
    title: t(`problems.${code}.title`),
    happened: t(`problems.${code}.happened`),
    next: t(`problems.${code}.next`),
    askForLink: PROBLEM_PAGES[code].askForLink,
  };
}

/** The API's sentence for a problem: what happened, then what to do. */
export function problemMessage(code: ProblemPageCode, locale: Locale = DEFAULT_LOCALE): string {
  const page = problemPage(code, locale);
  return `${page.happened} ${page.next}`;
}

/** What "Ask IT for a new link" answers, in the page's words (lib/enrollment/ask-for-link.ts). */
export type NewLinkAnswer =
  | 'requested'
  | 'already_requested'
  | 'unknown'
  | 'wrong_device'
  | 'no_certificate'
  | 'not_needed'
  | 'throttled';

/** Each answer's status; its sentence is `newLink.<answer>` in the catalogues. */
export const NEW_LINK_STATUS: Record<NewLinkAnswer, number> = {
  requested: 200,
  already_requested: 200,
  unknown: 404,
  wrong_device: 403,
  no_certificate: 403,
  not_needed: 409,
  throttled: 429,
};

/** The sentence for an answer to "Ask IT for a new link". */
export function newLinkMessage(answer: NewLinkAnswer, locale: Locale = DEFAULT_LOCALE): string {
  return translator(locale)(`newLink.${answer}`);
}

/** Whether a code from the API is an answer to "Ask IT for a new link" the page can put in words. */
export function isNewLinkAnswer(code: unknown): code is NewLinkAnswer {
  return typeof code === 'string' && Object.hasOwn(NEW_LINK_STATUS, code);
}
