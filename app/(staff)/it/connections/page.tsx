import type { Metadata } from 'next';
import { ScimConnections } from '@/components/staff/scim-connections';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { listScimConnections } from '@/lib/scim/connections';
import { requireStaff } from '@/lib/staff/require';
import { formatInZone } from '@/lib/time/zone';

export const metadata: Metadata = { title: 'Connections' };

/** SCIM connections: the company IdP's provisioning (Okta, Entra) creates and offboards people. */
export default async function ConnectionsPage() {
  await requireStaff('scim.connect', '/it/connections');
  const { origin, timeZone } = env();
  const connections = (await listScimConnections(db())).map((connection) => ({
    id: connection.id,
    name: connection.name,
    createdAt: formatInZone(connection.createdAt, timeZone),
    lastUsedAt: connection.lastUsedAt ? formatInZone(connection.lastUsedAt, timeZone) : null,
    revokedAt: connection.revokedAt ? formatInZone(connection.revokedAt, timeZone) : null,
  }));
  return (
    <>
      <h1 className="text-2xl font-bold tracking-tight">Connections</h1>
      <p className="mt-2 text-slate-700">
        Your identity provider&apos;s provisioning (Okta, Microsoft Entra ID) creates, changes and
        offboards people over SCIM 2.0 at <code className="break-all">{`${origin}/scim/v2`}</code>,
        with a bearer token from one of these connections.
      </p>
      <ScimConnections connections={connections} />
    </>
  );
}
