// Every way signing in to an app through Firstkey can be refused: status, the words the person reads
// on the passkey page, and whether trying again could help. One table, read by the interaction
// endpoint and the page.

export const APP_SIGN_IN_MESSAGES = {
  no_interaction: {
    status: 410,
    retry: false,
    title: 'This sign-in has expired',
    message:
      'This sign-in was started too long ago or in another browser. Go back to the app and sign in again.',
  },
  challenge_invalid: {
    status: 400,
    retry: true,
    title: 'Try again',
    message: 'This passkey prompt is no longer valid (used or expired). Try again.',
  },
  unknown_passkey: {
    status: 403,
    retry: false,
    title: 'This passkey can\u2019t sign you in',
    message:
      'This passkey no longer opens anything at work: it was removed, or your access has ended. If you think that\u2019s wrong, contact IT.',
  },
  verification_failed: {
    status: 400,
    retry: true,
    title: 'Try again',
    message: 'Firstkey could not check that passkey.',
  },
  enrolling: {
    status: 403,
    retry: false,
    title: 'Finish setting up your passkey first',
    message:
      'You\u2019re in the middle of setting up a new passkey. Finish it on your laptop with the link IT gave you, then sign in to the app again.',
  },
} as const satisfies Record<
  string,
  { status: number; retry: boolean; title: string; message: string }
>;

export type AppSignInRefusal = keyof typeof APP_SIGN_IN_MESSAGES;
