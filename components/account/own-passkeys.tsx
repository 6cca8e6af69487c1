'use client';

import { startRegistration } from '@simplewebauthn/browser';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { staffRequest } from '@/components/staff/staff-request';
import { Notice, type NoticeMessage } from '@/components/ui/notice';

export type PasskeyRow = {
  id: string;
  name: string;
  provider: string;
  created: string;
  lastUsed: string;
  backedUp: boolean;
};

const button =
  'rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-60';
const secondary =
  'rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-60';

/** The list of a person's passkeys with add, rename and remove (adding and removing re-prompt when stale). */
export function OwnPasskeys({ passkeys }: { passkeys: PasskeyRow[] }) {
  const router = useRouter();
  const [message, setMessage] = useState<NoticeMessage | null>(null);
  const [busy, setBusy] = useState(false);

  async function onAdd() {
    setBusy(true);
    setMessage(null);
    const options = await staffRequest<PublicKeyCredentialCreationOptionsJSON>(
      '/api/account/passkeys/options',
      {},
    );
    if (!options.ok) {
      setBusy(false);
      return setMessage({ tone: 'error', text: options.message });
    }
    let response;
    try {
      response = await startRegistration({ optionsJSON: options.body });
    } catch (error) {
      setBusy(false);
      const name = (error as { name?: string }).name;
      return setMessage({
        tone: 'error',
        text:
          name === 'InvalidStateError'
            ? 'This device already holds one of your passkeys. Use another phone or security key.'
            : 'The passkey prompt was closed. Try again when you\u2019re ready.',
      });
    }
    const added = await staffRequest<{ passkey: { provider: string | null } }>(
      '/api/account/passkeys/verify',
      { response },
    );
    setBusy(false);
    if (!added.ok) return setMessage({ tone: 'error', text: added.message });
    setMessage({ tone: 'ok', text: 'Backup passkey added.' });
    router.refresh();
  }

  async function onRename(event: FormEvent<HTMLFormElement>, passkey: PasskeyRow) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name') ?? '');
    setBusy(true);
    setMessage(null);
    const result = await staffRequest(
      `/api/account/passkeys/${encodeURIComponent(passkey.id)}/rename`,
      { name },
    );
    setBusy(false);
    if (!result.ok) return setMessage({ tone: 'error', text: result.message });
    setMessage({ tone: 'ok', text: `Renamed to \u201c${name.trim()}\u201d.` });
    router.refresh();
  }

  async function onRemove(passkey: PasskeyRow) {
    setBusy(true);
    setMessage(null);
    const result = await staffRequest(
      `/api/account/passkeys/${encodeURIComponent(passkey.id)}/remove`,
      {},
    );
    setBusy(false);
    if (!result.ok) return setMessage({ tone: 'error', text: result.message });
    // Removing a passkey ends every session (it may be on a lost device): sign in with one you kept.
    router.push('/signin?callbackUrl=%2Faccount&removed=1');
  }

  return (
    <section aria-labelledby="passkeys-heading" className="mt-8">
      <h2 id="passkeys-heading" className="text-xl font-semibold">
        {passkeys.length === 1 ? '1 passkey' : `${passkeys.length} passkeys`}
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
              <dt>Provider</dt>
              <dd>{passkey.provider}</dd>
              <dt>Created</dt>
              <dd>{passkey.created}</dd>
              <dt>Last used</dt>
              <dd>{passkey.lastUsed}</dd>
              <dt>Kept</dt>
              <dd>{passkey.backedUp ? 'Backed up (synced)' : 'On this device only'}</dd>
            </dl>
            <form
              className="mt-3 flex flex-wrap items-end gap-2"
              onSubmit={(event) => void onRename(event, passkey)}
            >
              <label className="text-sm">
                <span className="block font-medium">New name for {passkey.name}</span>
                <input
                  name="name"
                  required
                  maxLength={60}
                  className="mt-1 rounded border border-slate-300 px-2 py-1"
                />
              </label>
              <button type="submit" disabled={busy} className={secondary}>
                Rename
              </button>
              <button
                type="button"
                disabled={busy}
                className={secondary}
                onClick={() => void onRemove(passkey)}
              >
                Remove {passkey.name}
              </button>
            </form>
          </li>
        ))}
      </ul>
      <div className="mt-6">
        <button type="button" disabled={busy} className={button} onClick={() => void onAdd()}>
          Add a backup passkey
        </button>
      </div>
      <Notice message={message} />
    </section>
  );
}
