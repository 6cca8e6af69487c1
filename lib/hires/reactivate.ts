import 'server-only';
import type { Tx } from '@/lib/db';
import type { Actor, RequestContext } from '@/lib/audit/actor';
import { applyEnrollmentEvent } from '@/lib/enrollment/states';

/**
 * A leaver brought back by a system of record (the IdP re-enabling a user over SCIM). Nothing from
 * before comes back: passkeys stay revoked, links revoked, laptops retired, sessions ended. The person
 * is a hire again (`awaiting_device`): IT registers a laptop, and — since they have held a passkey —
 * only a two-person recovery gives them a new one (linkRefusal in lib/enrollment/issue-link.ts).
 */
export async function reactivate(
  tx: Tx,
  input: { userId: string; at: Date; actor: Actor; reason: string; request?: RequestContext },
): Promise<void> {
  await tx.user.update({ where: { id: input.userId }, data: { offboardedAt: null } });
  await applyEnrollmentEvent(tx, { ...input, event: 'reactivated' });
}
