import type { Metadata } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getMessages } from 'next-intl/server';
import type { ReactNode } from 'react';
import { InteractiveMark } from '@/components/ui/interactive-mark';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Firstkey', template: '%s · Firstkey' },
  description: 'Passwordless day-one enrollment: your issued laptop, one link, one passkey.',
  referrer: 'no-referrer',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The page's language (lib/i18n/request-locale.ts) reads the request, which also makes every page
  // render per request, as the CSP nonce (proxy.ts) needs.
  const locale = await getLocale();
  const messages = await getMessages();
  return (
    <html lang={locale}>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        {/* Client components outside enrollment need these; the enrollment page carries its own. */}
        <NextIntlClientProvider
          messages={{
            account: messages.account,
            signin: messages.signin,
            refusals: messages.refusals,
          }}
        >
          {children}
        </NextIntlClientProvider>
        <InteractiveMark />
      </body>
    </html>
  );
}
