'use client';

import { startRegistration } from '@simplewebauthn/browser';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';
import { useRouter } from 'next/navigation';
import { useLocale, useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { staffRequest, type ActionResult } from '@/components/staff/staff-request';
import { errorsOf, useFormErrors, type SummaryWords } from '@/components/ui/form-errors';
import { Notice, type NoticeMessage } from '@/components/ui/notice';
import { refusalKeyOf } from '@/lib/passkeys/plain-refusal';

export type PasskeyRow = {
  id: string;
  name: string;
  provider: string;
  created: string;
  lastUsed: string;
  backedUp: boolean;
};

type Failure = Extract<ActionResult<unknown>, { ok: false }>;

const button =
  'rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-60';
const secondary =
  'rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-60';

/**
 * What the server said, in the person's words and language: a refused passkey by its plain sentence
 * (lib/passkeys/plain-refusal.ts), the other refusals by their code; the passkey policy's sentence
 * names its rule and is English only, so another language gives the general one.
 */
function useSay() {
  const t = useTranslations('refusals');
  const locale = useLocale();
  const sentence = (message: string) => {
    const key = refusalKeyOf(message);
    return key ? t(key) : message;
  };
  return (failure: Failure): Failure => {
    const code = failure.code;
    let message = failure.message;
    if (code === 'verification_failed') message = t(refusalKeyOf(message) ?? 'registration');
    else if (code === 'passkey_not_allowed') message = locale === 'en' ? message : t(code);
    else if (
      code === 'challenge_invalid' ||
      code === 'credential_exists' ||
      code === 'last_passkey' ||
      code === 'unknown_passkey'
    )
      message = t(code);
    else message = sentence(message);
    return {
      ...failure,
      message,
      fields: failure.fields?.map((field) => ({ ...field, message: sentence(field.message) })),
    };
  };
}

function useSummaryWords(): SummaryWords {
  const t = useTranslations('account');
  return { title: t('problem'), errorPrefix: t('errorPrefix') };
}

/** Rename and remove for one passkey, with its own error summary tied to its name field. */
function PasskeyActions({
  passkey,
  busy,
  setBusy,
  onRenamed,
}: {
  passkey: PasskeyRow;
  busy: boolean;
  setBusy: (busy: boolean) => void;
  onRenamed: (name: string) => void;
}) {
  const router = useRouter();
  const t = useTranslations('account');
  const say = useSay();
  const errors = useFormErrors(`passkey-${passkey.id}`, useSummaryWords());

  async function onRename(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name') ?? '');
    setBusy(true);
    errors.clear();
    const result = await staffRequest(
      `/api/account/passkeys/${encodeURIComponent(passkey.id)}/rename`,
      { name },
    );
    setBusy(false);
    if (!result.ok) return errors.show(errorsOf(say(result)));
    onRenamed(name.trim());
    router.refresh();
  }

  async function onRemove() {
    setBusy(true);
    errors.clear();
    const result = await staffRequest(
      `/api/account/passkeys/${encodeURIComponent(passkey.id)}/remove`,
      {},
    );
    setBusy(false);
    if (!result.ok) return errors.show(errorsOf(say(result)));
    // Removing a passkey ends every session (it may be on a lost device): sign in with one you kept.
    router.push('/signin?callbackUrl=%2Faccount&removed=1');
  }

  return (
    <form className="mt-3 space-y-2" noValidate onSubmit={(event) => void onRename(event)}>
      {errors.summary}
      <div className="flex flex-wrap items-end gap-2">
        {errors.row(
          'name',
          <span className="font-medium">{t('newName', { name: passkey.name })}</span>,
          (props) => (
            <input
              maxLength={60}
              className="mt-1 rounded border border-slate-300 px-2 py-1"
              {...props}
            />
          ),
        )}
        <button type="submit" disabled={busy} className={secondary}>
          {t('rename')}
        </button>
        <button type="button" disabled={busy} className={secondary} onClick={() => void onRemove()}>
          {t('remove', { name: passkey.name })}
        </button>
      </div>
    </form>
  );
}

/** The list of a person's passkeys with add, rename and remove (adding and removing re-prompt when stale). */
export function OwnPasskeys({ passkeys }: { passkeys: PasskeyRow[] }) {
  const router = useRouter();
  const t = useTranslations('account');
  const say = useSay();
  const [message, setMessage] = useState<NoticeMessage | null>(null);
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors('add-passkey', useSummaryWords());

  async function onAdd() {
    setBusy(true);
    setMessage(null);
    errors.clear();
    const options = await staffRequest<PublicKeyCredentialCreationOptionsJSON>(
      '/api/account/passkeys/options',
      {},
    );
    if (!options.ok) {
      setBusy(false);
      return errors.show(errorsOf(say(options)));
    }
    let response;
    try {
      response = await startRegistration({ optionsJSON: options.body });
    } catch (error) {
      setBusy(false);
      const name = (error as { name?: string }).name;
      return errors.show([
        {
          field: null,
          message: name === 'InvalidStateError' ? t('alreadyHeld') : t('promptClosed'),
        },
      ]);
    }
    const added = await staffRequest<{ passkey: { provider: string | null } }>(
      '/api/account/passkeys/verify',
      { response },
    );
    setBusy(false);
    if (!added.ok) return errors.show(errorsOf(say(added)));
    setMessage({ tone: 'ok', text: t('added') });
    router.refresh();
  }

  return (
    <section aria-labelledby="passkeys-heading" className="mt-8">
      <h2 id="passkeys-heading" className="text-xl font-semibold">
        {t('count', { count: passkeys.length })}
      </h2>
      <ul className="mt-4 space-y-4">
        {passkeys.map((passkey) => (
          <li
            key={passkey.id}
            className="rounded-lg border border-slate-200 bg-white p-4"
            aria-label={passkey.name}
          >
            <h3 className="font-semibold">{passkey.name}</h3>
            <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm text-slate-700">
              <dt>{t('provider')}</dt>
              <dd>{passkey.provider}</dd>
              <dt>{t('created')}</dt>
              <dd>{passkey.created}</dd>
              <dt>{t('lastUsed')}</dt>
              <dd>{passkey.lastUsed}</dd>
              <dt>{t('kept')}</dt>
              <dd>{passkey.backedUp ? t('backedUp') : t('deviceOnly')}</dd>
            </dl>
            <PasskeyActions
              passkey={passkey}
              busy={busy}
              setBusy={setBusy}
              onRenamed={(name) => setMessage({ tone: 'ok', text: t('renamed', { name }) })}
            />
          </li>
        ))}
      </ul>
      <div className="mt-6 space-y-3">
        {errors.summary}
        <button type="button" disabled={busy} className={button} onClick={() => void onAdd()}>
          {t('add')}
        </button>
      </div>
      <Notice message={message} />
    </section>
  );
}
