import type { Metadata } from 'next';
import { AddAppForm } from '@/components/staff/add-app-form';
import { db } from '@/lib/db';
import { listOidcClients } from '@/lib/oidc/clients';
import { DISCOVERY_PATH } from '@/lib/oidc/front';
import { env } from '@/lib/env';
import { requireStaff } from '@/lib/staff/require';

export const metadata: Metadata = { title: 'Apps' };

/** The apps (OpenID Connect clients) people sign in to with their passkey; IT registers them here. */
export default async function AppsPage() {
  await requireStaff('app.register', '/it/apps');
  const apps = await listOidcClients(db());
  return (
    <>
      <h1 className="text-2xl font-bold tracking-tight">Apps</h1>
      <p className="mt-2 text-slate-700">
        People sign in to these apps with the passkey they made on day one. Apps and identity
        providers find everything at{' '}
        <code className="break-all">{`${env().origin}${DISCOVERY_PATH}`}</code>.
      </p>
      {apps.length === 0 ? (
        <p className="mt-4 text-slate-700">No app is registered yet.</p>
      ) : (
        <table className="mt-4 w-full text-left text-sm">
          <thead>
            <tr className="border-b border-slate-300">
              <th scope="col" className="py-2 pr-3">
                Name
              </th>
              <th scope="col" className="py-2 pr-3">
                Client id
              </th>
              <th scope="col" className="py-2 pr-3">
                Kind
              </th>
              <th scope="col" className="py-2 pr-3">
                Redirect URIs
              </th>
            </tr>
          </thead>
          <tbody>
            {apps.map((app) => (
              <tr
                key={app.clientId}
                className="border-b border-slate-200"
                data-client-id={app.clientId}
              >
                <td className="py-2 pr-3">
                  {app.homeUrl ? <a href={app.homeUrl}>{app.name}</a> : app.name}
                  {app.disabled && ' (disabled)'}
                </td>
                <td className="py-2 pr-3 font-mono text-xs break-all">{app.clientId}</td>
                <td className="py-2 pr-3">
                  {app.public ? 'public (PKCE, no secret)' : 'confidential'}
                </td>
                <td className="py-2 pr-3 break-all">{app.redirectUris.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AddAppForm />
    </>
  );
}
