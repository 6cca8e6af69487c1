import 'server-only';
import type { z } from 'zod';
import { db } from '@/lib/db';
import { findSubject } from '@/lib/staff/find-subject';
import { problem } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import type { StaffAction } from '@/lib/staff/authorize';
import { authorizeRequest, type AuthorizedRequest } from '@/lib/staff/request-auth';

type Authorized = Extract<AuthorizedRequest, { ok: true }>;
type Subject = NonNullable<Awaited<ReturnType<typeof findSubject>>>;

/**
 * The common front of every console action on one hire: find the hire, authorize (before saying
 * whether the hire exists, so ids cannot be probed), then parse the body. Order: 401/403 → 404 → 4xx.
 */
export async function hireActionRequest<T extends z.ZodType>(
  request: Request,
  employeeId: string,
  action: StaffAction,
  body: { schema: T; maxBytes: number },
): Promise<
  | { ok: true; auth: Authorized; subject: Subject; data: z.infer<T> }
  | { ok: false; response: Response }
> {
  const subject = await findSubject(db(), employeeId);
  const auth = await authorizeRequest(request, action, { subject: subject ?? undefined });
  if (!auth.ok) return auth;
  if (!subject) return { ok: false, response: problem(404, 'unknown_employee', 'No such hire') };
  const parsed = await parseJson(request, body.schema, body.maxBytes);
  if (!parsed.ok) return parsed;
  return { ok: true, auth, subject, data: parsed.data };
}
