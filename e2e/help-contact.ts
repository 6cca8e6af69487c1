/** The help contact the e2e server is configured with (FIRSTKEY_HELP_CONTACT), asserted on every failure page. */
export const E2E_HELP_CONTACT = 'the IT service desk on +1 555 0100';
