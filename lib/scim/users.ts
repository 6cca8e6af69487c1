import 'server-only';
import { z } from 'zod';
import type { Actor, RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { writeTransaction, type Db, type Tx } from '@/lib/db';
import { Rollback } from '@/lib/db/rollback';
import { CalendarDate, EmployeeId } from '@/lib/hires/hire-input';
import { applyPersonRecord, type PersonRecord } from '@/lib/hires/joiner';
import { offboard } from '@/lib/hires/offboard';
import { reactivate } from '@/lib/hires/reactivate';
import { calendarDateIn } from '@/lib/time/zone';
import type { ScimProblem } from '@/lib/scim/errors';
import type { FilterClause } from '@/lib/scim/filter';
import {
  applyPatch,
  CORE_USER,
  ENTERPRISE_USER,
  fieldsFromResource,
  FIRSTKEY_USER,
  type ScimFields,
} from '@/lib/scim/resource';

// The SCIM Users resource (RFC 7644 §3) over Firstkey's people. Every person is a SCIM User: one a
// SCIM client wrote has a ScimUser row (userName, externalId, names); anyone else's userName is
// their email, so an IdP that looks a person up before creating them links to the one HR or IT added.
// Writes go through the same paths as HR's events — applyPersonRecord for joiners and changes,
// offboard for leavers — each in one transaction with a `scim_user_*` audit event whose actor is the
// connection. A SCIM DELETE offboards the person and hides them from SCIM; their row stays (the audit
// trail refers to it) and so does their email.

export type ScimContext = {
  connection: { id: string; name: string };
  at: Date;
  origin: string;
  timeZone: string;
  request?: RequestContext;
};
export type ScimOutcome<T> = { ok: true; value: T } | { ok: false; problem: ScimProblem };

const USER_SELECT = {
  id: true,
  employeeId: true,
  name: true,
  email: true,
  department: true,
  startDate: true,
  enrollmentState: true,
  createdAt: true,
  updatedAt: true,
  manager: { select: { id: true, name: true } },
  scimUser: true,
} as const;
type UserRow = NonNullable<Awaited<ReturnType<typeof findUser>>>;

/** People who are SCIM resources: all but those a SCIM client deleted. */
const VISIBLE = { OR: [{ scimUser: { is: null } }, { scimUser: { is: { deletedAt: null } } }] };

const refuse = (status: number, detail: string, scimType?: ScimProblem['scimType']) => ({
  ok: false as const,
  problem: { status, detail, ...(scimType ? { scimType } : {}) },
});
const notFound = (id: string) => refuse(404, `No User with id "${id.slice(0, 100)}"`);

function findUser(db: Db | Tx, id: string) {
  return db.user.findFirst({ where: { id, ...VISIBLE }, select: USER_SELECT });
}

/** The SCIM representation of a person (RFC 7643 §4.1, §4.3 and Firstkey's extension). */
export function userResource(row: UserRow, base: string) {
  const scim = row.scimUser;
  return {
    schemas: [CORE_USER, ENTERPRISE_USER, FIRSTKEY_USER],
    id: row.id,
    ...(scim?.externalId ? { externalId: scim.externalId } : {}),
    userName: scim?.userName ?? row.email,
    name: {
      formatted: row.name,
      ...(scim?.givenName ? { givenName: scim.givenName } : {}),
      ...(scim?.familyName ? { familyName: scim.familyName } : {}),
    },
    displayName: row.name,
    active: row.enrollmentState !== 'offboarded',
    emails: [{ value: row.email, type: 'work', primary: true }],
    [ENTERPRISE_USER]: {
      employeeNumber: row.employeeId,
      ...(row.department ? { department: row.department } : {}),
      ...(row.manager ? { manager: { value: row.manager.id, displayName: row.manager.name } } : {}),
    },
    [FIRSTKEY_USER]: { startDate: row.startDate, enrollmentState: row.enrollmentState },
    meta: {
      resourceType: 'User',
      created: row.createdAt.toISOString(),
      lastModified: row.updatedAt.toISOString(),
      location: `${base}/Users/${row.id}`,
      // A weak ETag from the last change: it moves whenever the person's row does.
      version: `W/"${row.updatedAt.getTime().toString(36)}"`,
    },
  };
}
export type UserResource = ReturnType<typeof userResource>;

/** What the person's current record says, as the fields a PATCH starts from. */
function currentFields(row: UserRow): ScimFields {
  const scim = row.scimUser;
  return {
    userName: scim?.userName ?? row.email,
    externalId: scim?.externalId ?? null,
    active: row.enrollmentState !== 'offboarded',
    displayName: scim ? scim.displayName : row.name,
    givenName: scim?.givenName ?? null,
    familyName: scim?.familyName ?? null,
    formatted: null,
    email: row.email,
    employeeNumber: row.employeeId,
    department: row.department,
    managerId: row.manager?.id ?? null,
    startDate: row.startDate,
  };
}

const RecordShape = z.object({
  employeeId: EmployeeId,
  name: z.string().min(1).max(200),
  email: z
    .email('Expected an email address')
    .max(254)
    .transform((value) => value.toLowerCase()),
  startDate: CalendarDate,
});
/** Which SCIM attribute each record field came from, for error messages. */
const SCIM_NAME: Record<string, string> = {
  employeeId: `${ENTERPRISE_USER}:employeeNumber (or externalId)`,
  name: 'displayName',
  email: 'emails',
  startDate: `${FIRSTKEY_USER}:startDate`,
};

type Written = {
  record: PersonRecord;
  scim: {
    userName: string;
    userNameKey: string;
    externalId: string | null;
    displayName: string | null;
    givenName: string | null;
    familyName: string | null;
  };
};

/** The person record (for applyPersonRecord) that `fields` describe, checked. */
async function recordOf(
  tx: Tx,
  fields: ScimFields,
  existing: UserRow | null,
  context: ScimContext,
): Promise<{ ok: true; value: Written } | { ok: false; problem: ScimProblem }> {
  if (!fields.userName) return refuse(400, 'userName is required', 'invalidValue');
  if (existing && fields.employeeNumber && fields.employeeNumber !== existing.employeeId)
    return refuse(
      400,
      `employeeNumber is the person's employee id "${existing.employeeId}" and cannot change to "${fields.employeeNumber}"`,
      'mutability',
    );
  const fullName = [fields.givenName, fields.familyName].filter(Boolean).join(' ');
  const emailLike = z.email().safeParse(fields.userName).success ? fields.userName : null;
  const parsed = RecordShape.safeParse({
    employeeId: existing?.employeeId ?? fields.employeeNumber ?? fields.externalId,
    name: fields.displayName ?? fields.formatted ?? (fullName || existing?.name || fields.userName),
    email: fields.email ?? emailLike,
    startDate:
      fields.startDate ?? existing?.startDate ?? calendarDateIn(context.at, context.timeZone),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0]);
    const missing = issue.code === 'invalid_type';
    return refuse(
      400,
      missing
        ? `${SCIM_NAME[field]} is required${field === 'email' ? ' (or a userName that is an email address)' : ''}`
        : `${SCIM_NAME[field]}: ${issue.message}`,
      'invalidValue',
    );
  }
  let managerEmployeeId: string | null = null;
  if (fields.managerId) {
    if (existing && fields.managerId === existing.id)
      return refuse(400, 'A person cannot be their own manager', 'invalidValue');
    // A manager Firstkey does not know yet is left unset, as for HR: the IdP sends it again later.
    const manager = await tx.user.findUnique({
      where: { id: fields.managerId },
      select: { employeeId: true },
    });
    managerEmployeeId = manager?.employeeId ?? null;
  }
  return {
    ok: true,
    value: {
      record: { ...parsed.data, department: fields.department, managerEmployeeId },
      scim: {
        userName: fields.userName,
        userNameKey: fields.userName.toLowerCase(),
        externalId: fields.externalId,
        displayName: fields.displayName,
        givenName: fields.givenName,
        familyName: fields.familyName,
      },
    },
  };
}

/** Whoever already holds `userName` (case-insensitively), other than `exceptId`. */
async function userNameHolder(tx: Tx, userName: string, exceptId?: string) {
  const key = userName.toLowerCase();
  return tx.user.findFirst({
    where: {
      ...(exceptId ? { id: { not: exceptId } } : {}),
      OR: [{ scimUser: { is: { userNameKey: key } } }, { scimUser: { is: null }, email: key }],
    },
    select: { employeeId: true },
  });
}

const actorOf = (context: ScimContext): Actor => ({ type: 'scim', id: context.connection.id });

/** A SCIM refusal found inside the write transaction: rolls it back, then becomes the outcome. */
class ScimRefusal extends Rollback<'scim'> {
  constructor(readonly problem: ScimProblem) {
    super('scim', problem.detail);
  }
}

function rollbackOn(problem: ScimProblem): never {
  throw new ScimRefusal(problem);
}

async function scimWrite<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<ScimOutcome<T>> {
  try {
    return { ok: true, value: await writeTransaction(db, work) };
  } catch (error) {
    if (error instanceof ScimRefusal) return { ok: false, problem: error.problem };
    throw error;
  }
}

async function storeScimUser(
  tx: Tx,
  userId: string,
  scim: Written['scim'],
  context: ScimContext,
): Promise<void> {
  const data = { ...scim, connectionId: context.connection.id };
  await tx.scimUser.upsert({
    where: { userId },
    create: { userId, ...data, createdAt: context.at },
    update: data,
  });
  // The SCIM attributes live beside the person: their change is a change of the person.
  await tx.user.update({ where: { id: userId }, data: { updatedAt: context.at } });
}

function problemOfJoiner(result: { reason: string; message: string }): ScimProblem {
  return result.reason === 'device_refused'
    ? { status: 400, scimType: 'invalidValue', detail: result.message }
    : { status: 409, scimType: 'uniqueness', detail: result.message };
}

async function leave(tx: Tx, userId: string, reason: string, context: ScimContext) {
  const left = await offboard(tx, { userId, at: context.at, actor: actorOf(context), reason });
  if (!left.ok) rollbackOn({ status: 409, detail: left.message });
}

/** POST /Users */
export async function createScimUser(
  db: Db,
  body: unknown,
  context: ScimContext,
): Promise<ScimOutcome<UserResource>> {
  const given = fieldsFromResource(body);
  if (!given.ok) return given;
  const fields = given.fields;
  return scimWrite(db, async (tx) => {
    const built = await recordOf(tx, fields, null, context);
    if (!built.ok) rollbackOn(built.problem);
    const { record, scim } = built.value;
    const holder = await userNameHolder(tx, scim.userName);
    if (holder)
      rollbackOn({
        status: 409,
        scimType: 'uniqueness',
        detail: `userName "${scim.userName}" belongs to ${holder.employeeId}`,
      });
    if (
      await tx.user.findUnique({ where: { employeeId: record.employeeId }, select: { id: true } })
    )
      rollbackOn({
        status: 409,
        scimType: 'uniqueness',
        detail: `employeeNumber "${record.employeeId}" belongs to another person`,
      });
    const applied = await applyPersonRecord(tx, record, {
      actor: actorOf(context),
      at: context.at,
      origin: context.origin,
      reason: 'scim_create',
      request: context.request,
    });
    if (!applied.ok) rollbackOn(problemOfJoiner(applied));
    await storeScimUser(tx, applied.userId, scim, context);
    await appendAudit(tx, {
      at: context.at,
      actor: actorOf(context),
      action: 'scim_user_created',
      subject: { type: 'user', id: applied.userId },
      userId: applied.userId,
      request: context.request,
      details: { connection: context.connection.name, userName: scim.userName },
    });
    // Created disabled (an IdP may provision a user before their start): a leaver at once.
    if (fields.active === false) await leave(tx, applied.userId, 'scim_created_inactive', context);
    return userResource((await findUser(tx, applied.userId))!, `${context.origin}/scim/v2`);
  });
}

/** PUT /Users/{id} (the whole user: what it leaves out is cleared, except `active`) */
export async function replaceScimUser(db: Db, id: string, body: unknown, context: ScimContext) {
  const given = fieldsFromResource(body);
  if (!given.ok) return given;
  return changeScimUser(db, id, () => given, context);
}

/** PATCH /Users/{id} */
export async function patchScimUser(db: Db, id: string, body: unknown, context: ScimContext) {
  return changeScimUser(db, id, (current) => applyPatch(current, body), context);
}

async function changeScimUser(
  db: Db,
  id: string,
  change: (
    current: ScimFields,
  ) => { ok: true; fields: ScimFields } | { ok: false; problem: ScimProblem },
  context: ScimContext,
): Promise<ScimOutcome<UserResource>> {
  return scimWrite(db, async (tx) => {
    const row = await findUser(tx, id);
    if (!row) rollbackOn(notFound(id).problem);
    const before = currentFields(row);
    const changed = change(before);
    if (!changed.ok) rollbackOn(changed.problem);
    const fields = changed.fields;
    const wasActive = before.active === true;
    // A PUT that leaves `active` out keeps it: a leaver is never inferred from an omission.
    const nowActive = fields.active ?? wasActive;
    const built = await recordOf(tx, fields, row, context);
    if (!built.ok) rollbackOn(built.problem);
    const { record, scim } = built.value;
    const holder = await userNameHolder(tx, scim.userName, row.id);
    if (holder)
      rollbackOn({
        status: 409,
        scimType: 'uniqueness',
        detail: `userName "${scim.userName}" belongs to ${holder.employeeId}`,
      });
    const actor = actorOf(context);
    let action: 'scim_user_updated' | 'scim_user_deactivated' | 'scim_user_reactivated' =
      'scim_user_updated';
    if (wasActive && !nowActive) {
      // A leaver, through the same path as HR's; the rest of the record is not applied to a leaver.
      await leave(tx, row.id, 'scim_deactivated', context);
      action = 'scim_user_deactivated';
    } else if (nowActive) {
      if (!wasActive) {
        await reactivate(tx, { userId: row.id, at: context.at, actor, reason: 'scim_reactivated' });
        action = 'scim_user_reactivated';
      }
      const applied = await applyPersonRecord(tx, record, {
        actor,
        at: context.at,
        origin: context.origin,
        reason: 'scim_change',
        request: context.request,
      });
      if (!applied.ok) rollbackOn(problemOfJoiner(applied));
    }
    await storeScimUser(tx, row.id, scim, context);
    const changedAttributes = (Object.keys(fields) as (keyof ScimFields)[]).filter(
      (name) => fields[name] !== null && fields[name] !== before[name],
    );
    await appendAudit(tx, {
      at: context.at,
      actor,
      action,
      subject: { type: 'user', id: row.id },
      userId: row.id,
      request: context.request,
      details: { connection: context.connection.name, changed: changedAttributes.join(' ') },
    });
    return userResource((await findUser(tx, row.id))!, `${context.origin}/scim/v2`);
  });
}

/** DELETE /Users/{id}: a leaver; afterwards the person is no SCIM resource (404). */
export async function deleteScimUser(
  db: Db,
  id: string,
  context: ScimContext,
): Promise<ScimOutcome<null>> {
  return scimWrite(db, async (tx) => {
    const row = await findUser(tx, id);
    if (!row) rollbackOn(notFound(id).problem);
    if (row.enrollmentState !== 'offboarded') await leave(tx, row.id, 'scim_deleted', context);
    const fields = currentFields(row);
    await tx.scimUser.upsert({
      where: { userId: row.id },
      create: {
        userId: row.id,
        userName: fields.userName!,
        userNameKey: null,
        externalId: fields.externalId,
        connectionId: context.connection.id,
        createdAt: context.at,
        deletedAt: context.at,
      },
      update: { userNameKey: null, deletedAt: context.at, connectionId: context.connection.id },
    });
    await appendAudit(tx, {
      at: context.at,
      actor: actorOf(context),
      action: 'scim_user_deleted',
      subject: { type: 'user', id: row.id },
      userId: row.id,
      request: context.request,
      details: { connection: context.connection.name },
    });
    return null;
  });
}

/** GET /Users/{id} */
export async function getScimUser(
  db: Db,
  id: string,
  base: string,
): Promise<ScimOutcome<UserResource>> {
  const row = await findUser(db, id);
  return row ? { ok: true, value: userResource(row, base) } : notFound(id);
}

function clauseWhere(clause: FilterClause) {
  switch (clause.attribute) {
    case 'userName': {
      const key = clause.value.toLowerCase();
      return {
        OR: [{ scimUser: { is: { userNameKey: key } } }, { scimUser: { is: null }, email: key }],
      };
    }
    case 'externalId':
      // externalId is caseExact (RFC 7643 §3.1).
      return { scimUser: { is: { externalId: clause.value } } };
    case 'email':
      return { email: clause.value.toLowerCase() };
  }
}

/** GET /Users: a page of people matching every clause, oldest first (a stable order for paging). */
export async function listScimUsers(
  db: Db,
  query: { clauses: FilterClause[]; startIndex: number; count: number },
  base: string,
) {
  const where = { AND: [VISIBLE, ...query.clauses.map(clauseWhere)] };
  const [total, rows] = await Promise.all([
    db.user.count({ where }),
    query.count === 0
      ? Promise.resolve([])
      : db.user.findMany({
          where,
          select: USER_SELECT,
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          skip: query.startIndex - 1,
          take: query.count,
        }),
  ]);
  return {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    totalResults: total,
    itemsPerPage: rows.length,
    startIndex: query.startIndex,
    Resources: rows.map((row) => userResource(row, base)),
  };
}
