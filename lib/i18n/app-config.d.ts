import type { Messages } from '@/lib/i18n/catalogue';
import type { Locale } from '@/lib/i18n/locale';

// Typed keys for useTranslations/getTranslations: a key missing from the English catalogue is a type error.
declare module 'next-intl' {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
