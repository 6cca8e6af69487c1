import 'next-auth/jwt';

declare module 'next-auth/jwt' {
  interface JWT {
    /** When this session began (ms): the 12-hour absolute lifetime counts from here. */
    signedInAt?: number;
    /** When the user last proved presence with a passkey (ms): sensitive actions need it recent. */
    assertedAt?: number;
    /** The user's sessionEpoch at sign-in; "sign out everywhere" bumps it. */
    epoch?: number;
  }
}
