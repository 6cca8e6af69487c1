import createNextIntlPlugin from 'next-intl/plugin';

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // forbidden(): a signed-in person without the role gets a real 403 page (app/forbidden.tsx).
  experimental: { authInterrupts: true },
  // Native and Prisma runtime modules are loaded by Node at run time, not bundled.
  serverExternalPackages: [
    'better-sqlite3',
    '@prisma/adapter-better-sqlite3',
    'pg',
    '@prisma/adapter-pg',
    '@peculiar/x509',
    'tsyringe',
    'reflect-metadata',
  ],
};

// next-intl without locale routing: the language comes from the person (lib/i18n/request.ts).
export default createNextIntlPlugin('./lib/i18n/request.ts')(nextConfig);
