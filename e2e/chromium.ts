// How every Playwright config here launches Debian's Chromium. Without the background-networking
// flags, Chromium's own connections are refused by this machine's closed network, many at a time.
export const CHROMIUM_LAUNCH = {
  executablePath: process.env.FIRSTKEY_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
