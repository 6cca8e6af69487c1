// What the hire reads when something is not right — one sentence of what happened and one of what to
// do. The enrollment API returns these messages and the enrollment page shows them, so they match.

export type EnrollmentProblemCode =
  | 'malformed'
  | 'unknown'
  | 'used'
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

export const ENROLLMENT_PROBLEMS: Record<
  EnrollmentProblemCode,
  { status: number; title: string; message: string }
> = {
  malformed: {
    status: 400,
    title: 'This link is incomplete',
    message:
      'The link is damaged or was cut short. Open it again exactly as you received it, or ask IT for a new one.',
  },
  unknown: {
    status: 404,
    title: 'We don\u2019t recognise this link',
    message:
      'It may have been mistyped or replaced by a newer one. Ask your IT team for a new link.',
  },
  used: {
    status: 409,
    title: 'This link has already been used',
    message: 'Each link works once. If you did not use it yourself, contact IT right away.',
  },
  expired: {
    status: 410,
    title: 'This link has expired',
    message: 'Links only work for a limited time. Ask your IT team for a new one.',
  },
  revoked: {
    status: 410,
    title: 'This link was cancelled',
    message:
      'IT cancelled it, or issued a newer one. Use the newest link you received, or ask IT for a new one.',
  },
  not_yet_valid: {
    status: 403,
    title: 'This link isn\u2019t active yet',
    message: 'It starts working shortly before your first day. Come back then.',
  },
  wrong_device: {
    status: 403,
    title: 'This link works only on the laptop issued to you',
    message: 'Open it on the laptop IT gave you. If you are on that laptop, contact IT.',
  },
  no_certificate: {
    status: 403,
    title: 'This link works only on the laptop issued to you',
    message:
      'This browser did not present your laptop\u2019s device certificate. Open the link on the laptop IT gave you, or contact IT.',
  },
  throttled: {
    status: 429,
    title: 'Too many attempts',
    message: 'For your security, please wait a few minutes before trying again.',
  },
  no_session: {
    status: 401,
    title: 'Start from your link',
    message: 'Open the enrollment link on your issued laptop to begin.',
  },
  session_expired: {
    status: 410,
    title: 'Your enrollment window has closed',
    message:
      'You had 10 minutes to create your passkey after opening the link. Ask your IT team for a new link.',
  },
  session_ended: {
    status: 410,
    title: 'Your enrollment window has closed',
    message:
      'This enrollment was completed or cancelled. If you still need a passkey, ask your IT team for a new link.',
  },
  challenge_invalid: {
    status: 400,
    title: 'That passkey prompt is no longer valid',
    message: 'Start the passkey step again.',
  },
  verification_failed: {
    status: 400,
    title: 'Your passkey could not be verified',
    message: 'Try again. Your device must confirm it is you (fingerprint, face or device PIN).',
  },
  credential_exists: {
    status: 409,
    title: 'This passkey is already registered',
    message: 'Try again and choose to create a new passkey.',
  },
  // The passkey policy refused it; the API's message says which rule and what to use instead.
  passkey_not_allowed: {
    status: 403,
    title: 'Your company doesn\u2019t accept this passkey',
    message:
      'Use this laptop\u2019s built-in passkey (Windows Hello on Windows, Touch ID on a Mac) or a security key IT gave you, then try again.',
  },
};
