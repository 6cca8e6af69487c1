// What the hire reads when something is not right: a title (also the page's <title>), one sentence of
// what happened, one of what to do now, and whether "Ask IT for a new link" is the answer. The
// enrollment API returns these messages and the enrollment page shows them, so they match. This is the
// one reason → status → page table; the browser-only problems (no WebAuthn, no network) are in it too.

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

export const PROBLEM_PAGES: Record<ProblemPageCode, ProblemPage> = {
  malformed: {
    title: 'This link is incomplete',
    happened: 'The link is damaged or was cut short.',
    next: 'Open it again exactly as you received it. If it still does not work, contact IT.',
    askForLink: false,
  },
  unknown: {
    title: 'We don\u2019t recognise this link',
    happened: 'It may have been mistyped or replaced by a newer one.',
    next: 'Use the newest link you received. If you have no other, contact IT for a new one.',
    askForLink: false,
  },
  used: {
    title: 'This link has already been used',
    happened: 'Each link works once, and this one has been used to create a passkey.',
    next: 'If you did not use it yourself, contact IT right away. If you need a passkey, ask IT for a new link.',
    askForLink: true,
  },
  already_enrolled: {
    title: 'You\u2019re already set up',
    happened:
      'You used this link on this laptop to create your passkey, so it does not work again.',
    next: 'Sign in with your passkey at /signin, or see and add passkeys at /account.',
    askForLink: false,
  },
  expired: {
    title: 'This link has expired',
    happened: 'Links only work for a limited time, and this one\u2019s time is over.',
    next: 'Ask IT for a new link.',
    askForLink: true,
  },
  revoked: {
    title: 'This link was cancelled',
    happened: 'IT cancelled it, or issued a newer one.',
    next: 'Use the newest link you received, or ask IT for a new one.',
    askForLink: true,
  },
  not_yet_valid: {
    title: 'This link isn\u2019t active yet',
    happened: 'It starts working shortly before your first day.',
    next: 'Come back then, on this laptop.',
    askForLink: false,
  },
  wrong_device: {
    title: 'This link works only on the laptop issued to you',
    happened: 'This browser presented another laptop\u2019s device certificate.',
    next: 'Open the link on the laptop IT gave you. If you are on that laptop, contact IT.',
    askForLink: false,
  },
  no_certificate: {
    title: 'This link works only on the laptop issued to you',
    happened: 'This browser did not present your laptop\u2019s device certificate.',
    next: 'Open the link on the laptop IT gave you. If you are on that laptop, contact IT.',
    askForLink: false,
  },
  throttled: {
    title: 'Too many attempts',
    happened: 'There were too many tries with links from this laptop or network.',
    next: 'For your security, wait a few minutes before trying again.',
    askForLink: false,
  },
  no_session: {
    title: 'Start from your link',
    happened: 'This page needs the enrollment link IT sent you.',
    next: 'Open the link on your issued laptop to begin.',
    askForLink: false,
  },
  session_expired: {
    title: 'Your enrollment window has closed',
    happened:
      'You have 10 minutes to create your passkey, counted from the moment you selected \u201cCreate my passkey\u201d, and they are over.',
    next: 'Ask IT for a new link.',
    askForLink: true,
  },
  session_ended: {
    title: 'This enrollment has ended',
    happened: 'This enrollment was completed or cancelled.',
    next: 'If you still need a passkey, ask IT for a new link.',
    askForLink: true,
  },
  challenge_invalid: {
    title: 'That passkey prompt is no longer valid',
    happened: 'The prompt was answered too late or twice.',
    next: 'Start the passkey step again.',
    askForLink: false,
  },
  verification_failed: {
    title: 'Your passkey could not be verified',
    happened: 'Your laptop did not confirm that it is you.',
    next: 'Try again, and confirm with your fingerprint, face or device PIN.',
    askForLink: false,
  },
  credential_exists: {
    title: 'This passkey is already registered',
    happened: 'This laptop already holds a passkey for you.',
    next: 'Try again and choose to create a new passkey.',
    askForLink: false,
  },
  // The passkey policy refused it; the API's message says which rule and what to use instead.
  passkey_not_allowed: {
    title: 'Your company doesn\u2019t accept this passkey',
    happened: 'IT allows only certain kinds of passkeys, and this one is not among them.',
    next: 'Use this laptop\u2019s built-in passkey (Windows Hello on Windows, Touch ID on a Mac) or a security key IT gave you, then try again.',
    askForLink: false,
  },
  unsupported: {
    title: 'This browser can\u2019t create passkeys',
    happened: 'It does not support passkeys (WebAuthn), or they are turned off.',
    next: 'Open the link in an up-to-date Chrome, Edge, Safari or Firefox on the laptop issued to you. If that does not help, contact IT.',
    askForLink: false,
  },
  network: {
    title: 'Firstkey could not be reached',
    happened: 'The page could not talk to the server.',
    next: 'Check your network connection, then reload this page.',
    askForLink: false,
  },
};

/** The API's sentence for a problem: what happened, then what to do. */
export function problemMessage(code: ProblemPageCode): string {
  const page = PROBLEM_PAGES[code];
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

export const NEW_LINK_ANSWERS: Record<NewLinkAnswer, { status: number; message: string }> = {
  requested: {
    status: 200,
    message: 'IT has your request and will send you a new link. You can close this page.',
  },
  already_requested: {
    status: 200,
    message:
      'IT already has your request for a new link and will send it to you. You can close this page.',
  },
  unknown: {
    status: 404,
    message: 'We could not find this link, so we cannot ask IT for you. Contact IT.',
  },
  wrong_device: {
    status: 403,
    message:
      'Only the laptop issued to you can ask for a new link. Use that laptop, or contact IT.',
  },
  no_certificate: {
    status: 403,
    message:
      'Only the laptop issued to you can ask for a new link. Use that laptop, or contact IT.',
  },
  not_needed: {
    status: 409,
    message: 'This link can still be used, or you are already set up: no new link is needed.',
  },
  throttled: {
    status: 429,
    message: 'You have asked for new links too often today. Contact IT.',
  },
};
