import 'server-only';
import type { Account } from 'oidc-provider';
import type { Db } from '@/lib/db';

// What the provider says about a person (its `findAccount`). Scopes decide which claims an app gets
// (lib/oidc/configuration.ts `claims`): profile → name, employee_id; email → email; groups → groups.

/** Roles and department as group names an IdP can map: "role:it", "department:Engineering". */
export function groupsOf(user: { roles: { role: string }[]; department: string | null }): string[] {
  return [
    ...user.roles.map((role) => `role:${role.role}`),
    ...(user.department ? [`department:${user.department}`] : []),
  ];
}

/**
 * The person behind a `sub`, or undefined when there is none or they left: then every token of
 * theirs fails at userinfo, refresh and introspection, even before the revocation path removed it.
 */
export async function findAccount(db: Db, sub: string): Promise<Account | undefined> {
  const user = await db.user.findUnique({
    where: { oidcSubject: sub },
    select: {
      name: true,
      email: true,
      employeeId: true,
      department: true,
      enrollmentState: true,
      roles: { select: { role: true } },
    },
  });
  if (!user || user.enrollmentState === 'offboarded') return undefined;
  return {
    accountId: sub,
    claims: () => ({
      sub,
      name: user.name,
      employee_id: user.employeeId,
      email: user.email,
      // The company's own address from HR's record, not one the person typed.
      email_verified: true,
      groups: groupsOf(user),
    }),
  };
}
