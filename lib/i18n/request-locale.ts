import 'server-only';
import { headers } from 'next/headers';
import { db } from '@/lib/db';
import {
  DEFAULT_LOCALE,
  isHireFacingPath,
  readsSignedInRecord,
  resolveLocale,
  type Locale,
} from '@/lib/i18n/locale';
import { currentStaff } from '@/lib/staff/current';

/**
 * The language of the page being rendered (lib/i18n/locale.ts has the rule): English on the staff
 * screens; on /account the signed-in person's record, else Accept-Language; elsewhere Accept-Language.
 * The enrollment page learns its hire only from the link's peek, in the browser, and switches there.
 */
export async function requestLocale(): Promise<Locale> {
  const request = await headers();
  const path = request.get('x-firstkey-path');
  if (!isHireFacingPath(path)) return DEFAULT_LOCALE;
  let record: string | null = null;
  if (readsSignedInRecord(path)) {
    const person = await currentStaff();
    if (person)
      record =
        (
          await db().user.findUnique({
            where: { id: person.id },
            select: { preferredLanguage: true },
          })
        )?.preferredLanguage ?? null;
  }
  return resolveLocale({ record, acceptLanguage: request.get('accept-language') });
}
