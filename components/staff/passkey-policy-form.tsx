'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { staffRequest } from '@/components/staff/staff-request';
import { Notice, type NoticeMessage } from '@/components/ui/notice';

type Policy = {
  aaguidMode: 'any' | 'allow' | 'block';
  aaguids: string[];
  deviceBoundOnly: boolean;
  attestationRequired: boolean;
};

const field = 'mt-1 block w-full rounded border border-slate-300 px-2 py-1 font-mono text-xs';

/** Changes the passkey policy and imports FIDO metadata; both ask for the passkey when not fresh. */
export function PasskeyPolicyForm({
  policy,
  listed,
  known,
  hasMetadata,
}: {
  policy: Policy;
  listed: { aaguid: string; name: string | null }[];
  known: { aaguid: string; name: string }[];
  hasMetadata: boolean;
}) {
  const router = useRouter();
  const [message, setMessage] = useState<NoticeMessage | null>(null);
  const [importMessage, setImportMessage] = useState<NoticeMessage | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const aaguids = String(form.get('aaguids') ?? '')
      .split(/[\s,]+/)
      .map((line) => line.replace(/#.*$/, '').trim())
      .filter(Boolean);
    const result = await staffRequest<{ changed: boolean }>('/api/it/policy', {
      aaguidMode: String(form.get('aaguidMode') ?? 'any'),
      aaguids,
      deviceBoundOnly: form.get('deviceBoundOnly') === 'on',
      attestationRequired: form.get('attestationRequired') === 'on',
    });
    if (!result.ok) return setMessage({ tone: 'error', text: result.message });
    setMessage({
      tone: 'ok',
      text: result.body.changed ? 'The policy is saved.' : 'Nothing changed.',
    });
    router.refresh();
  }

  async function onImport(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = new FormData(event.currentTarget).get('blob');
    if (!(file instanceof File) || file.size === 0)
      return setImportMessage({ tone: 'error', text: 'Choose the BLOB file (blob.jwt) first.' });
    const result = await staffRequest<{ no: number; entries: number; nextUpdate: string }>(
      '/api/it/policy/metadata',
      { blob: await file.text() },
    );
    if (!result.ok) return setImportMessage({ tone: 'error', text: result.message });
    setImportMessage({
      tone: 'ok',
      text: `Imported BLOB no. ${result.body.no}: ${result.body.entries} models, next update ${result.body.nextUpdate}.`,
    });
    router.refresh();
  }

  return (
    <>
      <section aria-labelledby="policy-form-title" className="mt-8 max-w-2xl">
        <h2 id="policy-form-title" className="text-xl font-semibold">
          Change the policy
        </h2>
        <Notice message={message} />
        <form onSubmit={onSubmit} className="mt-3 space-y-3" aria-label="Passkey policy">
          <fieldset>
            <legend className="text-sm font-semibold">Authenticators (by AAGUID)</legend>
            {(
              [
                ['any', 'Accept any'],
                ['allow', 'Accept only those listed'],
                ['block', 'Refuse those listed'],
              ] as const
            ).map(([value, label]) => (
              <label key={value} className="mr-4 inline-flex items-center gap-1 text-sm">
                <input
                  type="radio"
                  name="aaguidMode"
                  value={value}
                  defaultChecked={policy.aaguidMode === value}
                />
                {label}
              </label>
            ))}
          </fieldset>
          <label className="block text-sm">
            AAGUIDs, one per line (text after # is a note)
            <textarea
              name="aaguids"
              rows={4}
              className={field}
              defaultValue={listed
                .map((entry) => `${entry.aaguid}${entry.name ? ` # ${entry.name}` : ''}`)
                .join('\n')}
            />
          </label>
          <details className="text-sm">
            <summary>Known providers</summary>
            <ul className="mt-1 font-mono text-xs">
              {known.map((provider) => (
                <li key={provider.aaguid}>
                  {provider.aaguid} # {provider.name}
                </li>
              ))}
            </ul>
          </details>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="deviceBoundOnly" defaultChecked={policy.deviceBoundOnly} />
            Device-bound only: refuse synced passkeys (password managers, phone sync)
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name="attestationRequired"
              defaultChecked={policy.attestationRequired}
            />
            Attestation required: accept only authenticators that prove their model against FIDO
            metadata{hasMetadata ? '' : ' (import the metadata first)'}
          </label>
          <button
            type="submit"
            className="rounded-md bg-brand-600 px-4 py-1.5 font-semibold text-white"
          >
            Save policy
          </button>
        </form>
      </section>

      <section aria-labelledby="mds-title" className="mt-8 max-w-2xl">
        <h2 id="mds-title" className="text-xl font-semibold">
          Import FIDO metadata
        </h2>
        <p className="mt-1 text-sm text-slate-700">
          Download the BLOB from <code>https://mds3.fidoalliance.org/</code> and choose it here (or
          run <code>firstkey policy mds import blob.jwt</code>). It is checked against the FIDO
          Alliance&rsquo;s root without any network access.
        </p>
        <Notice message={importMessage} />
        <form onSubmit={onImport} className="mt-3 space-y-3" aria-label="Import FIDO metadata">
          <label className="block text-sm">
            BLOB file
            <input
              type="file"
              name="blob"
              accept=".jwt,application/jwt,text/plain"
              className="mt-1 block"
            />
          </label>
          <button
            type="submit"
            className="rounded-md bg-brand-600 px-4 py-1.5 font-semibold text-white"
          >
            Import
          </button>
        </form>
      </section>
    </>
  );
}
