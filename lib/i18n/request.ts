import { getRequestConfig } from 'next-intl/server';
import { CATALOGUES } from '@/lib/i18n/catalogue';
import { requestLocale } from '@/lib/i18n/request-locale';
import { env } from '@/lib/env';

// next-intl's per-request configuration (next.config.js points its plugin here). No locale in the URL:
// the enrollment link stays the same address in every language.
export default getRequestConfig(async () => {
  const locale = await requestLocale();
  return { locale, messages: CATALOGUES[locale], timeZone: env().timeZone };
});
