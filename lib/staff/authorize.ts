import type { Staff } from '@/lib/staff/session';

// Who may do what — the one place every page, route handler and server action asks.
// IT staff run enrollment for everyone. Managers see (and approve recoveries for) their direct
// reports only. Anyone signed in sees their own enrollment and manages their own passkeys (/account).
// Nobody else sees anything.

export type StaffAction =
  | 'console.view'
  | 'hire.view'
  | 'hire.create'
  | 'device.register'
  | 'link.issue'
  | 'link.revoke'
  | 'role.change'
  | 'passkey.revoke'
  | 'recovery.request'
  | 'recovery.approve'
  | 'recovery.decide'
  | 'recovery.handover'
  | 'reports.view'
  | 'app.register'
  | 'scim.connect'
  | 'policy.view'
  | 'policy.change'
  | 'own_passkeys.view'
  | 'own_passkeys.rename'
  | 'own_passkeys.change';

/** The hire an action is about: their id and their manager's. */
export type Subject = { userId: string; managerId: string | null };

const IT_ONLY: ReadonlySet<StaffAction> = new Set([
  'console.view',
  'hire.create',
  'device.register',
  'link.issue',
  'link.revoke',
  'role.change',
  'passkey.revoke',
  'recovery.request',
  'app.register',
  'scim.connect',
  'recovery.handover',
  'policy.view',
  'policy.change',
]);

/**
 * Actions that need a passkey assertion from the last 5 minutes (FRESH_ASSERTION): each changes who
 * can get in, so an unattended console or a stolen session cookie must not be enough.
 */
export const SENSITIVE: ReadonlySet<StaffAction> = new Set([
  'device.register',
  'link.issue',
  'link.revoke',
  'role.change',
  'passkey.revoke',
  'recovery.request',
  'recovery.decide',
  'app.register',
  // A SCIM token creates, changes and offboards people: as strong as registering an app.
  'scim.connect',
  // Decides which passkeys anyone can enroll, and the FIDO metadata that vouches for them.
  'policy.change',
  // Shows a live recovery link.
  'recovery.handover',
  // Adding or removing one's own passkey: a stolen session cookie must not bind the thief's
  // authenticator, or remove the owner's.
  'own_passkeys.change',
]);

export function can(actor: Staff | null, action: StaffAction, subject?: Subject): boolean {
  if (!actor) return false;
  const isIt = actor.roles.includes('it');
  const isManager = actor.roles.includes('manager');
  if (IT_ONLY.has(action)) return isIt;
  switch (action) {
    case 'own_passkeys.view':
    case 'own_passkeys.rename':
    case 'own_passkeys.change':
      // A person acts on their own passkeys only; lib/passkeys/account.ts looks them up by owner.
      return true;
    case 'reports.view':
      return isManager;
    case 'hire.view':
      return (
        Boolean(subject) &&
        (isIt || subject!.userId === actor.id || (isManager && subject!.managerId === actor.id))
      );
    case 'recovery.approve':
      // The requester's identity is checked by the recovery rules themselves (two different people).
      return (
        Boolean(subject) &&
        subject!.userId !== actor.id &&
        (isIt || (isManager && subject!.managerId === actor.id))
      );
    case 'recovery.decide':
      // Who may open a decision at all; lib/recovery/recovery.ts applies `recovery.approve` to the request's person.
      return isIt || isManager;
    default:
      return false;
  }
}
