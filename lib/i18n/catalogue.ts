import { createTranslator } from 'next-intl';
import de from '@/lib/i18n/messages/de.json' with { type: 'json' };
import en from '@/lib/i18n/messages/en.json' with { type: 'json' };
import type { Locale } from '@/lib/i18n/locale';

// The hire's words, one catalogue per language (messages/*.json, ICU message syntax). English is the
// reference: every catalogue has exactly its keys and placeholders (catalogue.test.ts). Client code may
// import this too: the enrollment page switches language once the link's peek names the hire.

export type Messages = typeof en;
export const CATALOGUES: Record<Locale, Messages> = { en, de };

/** A translator for `locale`, outside React (API answers, the enrollment page's own state). */
export function translator(locale: Locale) {
  return createTranslator({ locale, messages: CATALOGUES[locale] });
}
