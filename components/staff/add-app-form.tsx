'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { staffRequest } from '@/components/staff/staff-request';
import { Notice, type NoticeMessage } from '@/components/ui/notice';
import { errorsOf, useFormErrors } from '@/components/ui/form-errors';

type Registered = { client_id: string; client_secret: string | null; name: string };

const field = 'mt-1 block w-full rounded border border-slate-300 px-2 py-1';

/** Registers an app; a confidential app's secret is shown once, here, and never again. */
export function AddAppForm() {
  const router = useRouter();
  const [message, setMessage] = useState<NoticeMessage | null>(null);
  const [registered, setRegistered] = useState<Registered | null>(null);
  const errors = useFormErrors('add-app');

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const lines = (name: string) =>
      String(form.get(name) ?? '')
        .split(/\s+/)
        .filter(Boolean);
    const homeUrl = String(form.get('homeUrl') ?? '').trim();
    const result = await staffRequest<Registered>('/api/it/apps', {
      name: String(form.get('name') ?? ''),
      redirectUris: lines('redirectUris'),
      postLogoutRedirectUris: lines('postLogoutRedirectUris'),
      public: form.get('public') === 'on',
      ...(homeUrl ? { homeUrl } : {}),
    });
    if (!result.ok) {
      setMessage(null);
      return errors.show(errorsOf(result));
    }
    errors.clear();
    setRegistered(result.body);
    setMessage({ tone: 'ok', text: `${result.body.name} is registered.` });
    formElement.reset();
    router.refresh();
  }

  return (
    <section aria-labelledby="add-app-title" className="mt-8 max-w-lg">
      <h2 id="add-app-title" className="text-xl font-semibold">
        Register an app
      </h2>
      <Notice message={message} />
      {registered && (
        <div className="mt-3 rounded-lg border-2 border-brand-600 p-4 text-sm">
          <p>
            Client id: <code data-testid="client-id">{registered.client_id}</code>
          </p>
          {registered.client_secret ? (
            <p className="mt-2">
              Client secret (shown once — copy it into the app now):{' '}
              <code className="break-all" data-testid="client-secret">
                {registered.client_secret}
              </code>
            </p>
          ) : (
            <p className="mt-2">A public app has no secret: it proves itself with PKCE.</p>
          )}
        </div>
      )}
      <form onSubmit={onSubmit} noValidate className="mt-3 space-y-3" aria-label="Register an app">
        {errors.summary}
        {errors.row('name', 'Name (people see it when they sign in)', (props) => (
          <input className={field} {...props} />
        ))}
        {errors.row('redirectUris', 'Redirect URIs (one per line; matched exactly)', (props) => (
          <textarea rows={2} className={field} {...props} />
        ))}
        {errors.row(
          'postLogoutRedirectUris',
          'Sign-out redirect URIs (optional, one per line)',
          (props) => (
            <textarea rows={1} className={field} {...props} />
          ),
        )}
        {errors.row(
          'homeUrl',
          'Home page (optional; shown to new hires as what their passkey opens)',
          (props) => (
            <input type="url" className={field} {...props} />
          ),
        )}
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="public" /> Public app (browser or native, no secret)
        </label>
        <button
          type="submit"
          className="rounded-md bg-brand-600 px-4 py-1.5 font-semibold text-white"
        >
          Register app
        </button>
      </form>
    </section>
  );
}
