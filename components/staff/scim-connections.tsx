'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { staffRequest } from '@/components/staff/staff-request';
import { Notice, type NoticeMessage } from '@/components/ui/notice';

export type ConnectionRow = {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

type Created = { id: string; name: string; token: string };

/** The SCIM connections: list, create (the token is shown once, here), revoke. */
export function ScimConnections({ connections }: { connections: ConnectionRow[] }) {
  const router = useRouter();
  const [message, setMessage] = useState<NoticeMessage | null>(null);
  const [created, setCreated] = useState<Created | null>(null);

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const name = String(new FormData(formElement).get('name') ?? '');
    const result = await staffRequest<Created>('/api/it/scim-connections', { name });
    if (!result.ok) return setMessage({ tone: 'error', text: result.message });
    setCreated(result.body);
    setMessage({ tone: 'ok', text: `The connection ${result.body.name} is created.` });
    formElement.reset();
    router.refresh();
  }

  async function onRevoke(connection: ConnectionRow) {
    const result = await staffRequest<{ id: string }>(
      `/api/it/scim-connections/${encodeURIComponent(connection.id)}/revoke`,
      {},
    );
    setMessage(
      result.ok
        ? { tone: 'ok', text: `${connection.name} is revoked: its token no longer works.` }
        : { tone: 'error', text: result.message },
    );
    if (result.ok && created?.id === connection.id) setCreated(null);
    router.refresh();
  }

  return (
    <>
      <Notice message={message} />
      {created && (
        <div className="mt-3 rounded-lg border-2 border-brand-600 p-4 text-sm">
          <p>
            Bearer token for {created.name} (shown once — paste it into your identity provider now):
          </p>
          <code className="mt-2 block break-all" data-testid="scim-token">
            {created.token}
          </code>
        </div>
      )}
      {connections.length === 0 ? (
        <p className="mt-4 text-slate-700">No SCIM connection yet.</p>
      ) : (
        <table className="mt-4 w-full text-left text-sm">
          <thead>
            <tr className="border-b border-slate-300">
              <th scope="col" className="py-2 pr-3">
                Name
              </th>
              <th scope="col" className="py-2 pr-3">
                Created
              </th>
              <th scope="col" className="py-2 pr-3">
                Last used
              </th>
              <th scope="col" className="py-2 pr-3">
                Status
              </th>
            </tr>
          </thead>
          <tbody>
            {connections.map((connection) => (
              <tr
                key={connection.id}
                className="border-b border-slate-200"
                data-connection-id={connection.id}
              >
                <td className="py-2 pr-3">{connection.name}</td>
                <td className="py-2 pr-3">{connection.createdAt}</td>
                <td className="py-2 pr-3" data-testid="last-used">
                  {connection.lastUsedAt ?? 'never'}
                </td>
                <td className="py-2 pr-3">
                  {connection.revokedAt ? (
                    `revoked ${connection.revokedAt}`
                  ) : (
                    <button
                      type="button"
                      onClick={() => onRevoke(connection)}
                      className="rounded-md border border-slate-400 px-2 py-0.5"
                    >
                      Revoke {connection.name}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section aria-labelledby="add-connection-title" className="mt-8 max-w-lg">
        <h2 id="add-connection-title" className="text-xl font-semibold">
          Create a SCIM connection
        </h2>
        <form onSubmit={onCreate} className="mt-3 space-y-3" aria-label="Create a SCIM connection">
          <label className="block text-sm">
            Name (e.g. Okta, Entra ID)
            <input
              name="name"
              required
              className="mt-1 block w-full rounded border border-slate-300 px-2 py-1"
            />
          </label>
          <button
            type="submit"
            className="rounded-md bg-brand-600 px-4 py-1.5 font-semibold text-white"
          >
            Create connection
          </button>
        </form>
      </section>
    </>
  );
}
