import 'server-only';
import type { Db } from '@/lib/db';

// What the passkey page shows before anything happens: which app asked. Read straight from the
// provider's stored interaction (lib/oidc/adapter.ts); the provider itself checks the browser's
// interaction cookie when the page finishes the sign-in.

export type PendingAppSignIn = { clientName: string; homeUrl: string | null };

export async function pendingAppSignIn(
  db: Db,
  uid: string,
  at: Date,
): Promise<PendingAppSignIn | null> {
  const row = await db.oidcPayload.findUnique({
    where: { model_id: { model: 'Interaction', id: uid } },
  });
  if (!row || (row.expiresAt && row.expiresAt <= at)) return null;
  const { params } = JSON.parse(row.payload) as { params?: { client_id?: unknown } };
  if (typeof params?.client_id !== 'string') return null;
  const client = await db.oidcClient.findUnique({
    where: { id: params.client_id },
    select: { name: true, homeUrl: true },
  });
  return client ? { clientName: client.name, homeUrl: client.homeUrl } : null;
}
