import 'next-auth/jwt';

declare module 'next-auth/jwt' {
  interface JWT {
    /** The session's id, kept across renewals: signing out puts it on the ended-session list. */
    sid?: string;
    /** When this session began (ms): the 12-hour absolute lifetime counts from here. */
    signedInAt?: number;
    /** When the user last proved presence with a passkey (ms): sensitive actions need it recent. */
    assertedAt?: number;
    /** The user's sessionEpoch at sign-in; "sign out everywhere" bumps it. */
    epoch?: number;
  }
}
