import type { ScimProblem } from '@/lib/scim/errors';

// A SCIM User (RFC 7643 §4.1, the enterprise extension §4.3, and Firstkey's own extension for the
// start date) as the attributes Firstkey keeps — and how the request shapes Okta and Microsoft Entra
// actually send change them:
//   - attribute names are case-insensitive (RFC 7643 §2.1): "userName", "USERNAME";
//   - PATCH `op` is case-insensitive: Entra sends "Replace", "Add", "Remove";
//   - `active` may be a boolean or Entra's string "True" / "False";
//   - a PATCH without `path` carries a value object (RFC 7644 §3.5.2.1), whose keys may themselves be
//     paths ("name.givenName", "urn:…:enterprise:2.0:User:department") or extension objects;
//   - Entra's value filter on the work email: `emails[type eq "work"].value`;
//   - Okta's PUT carries the whole user, with `id`, `meta`, `password` and `groups`.
// Attributes Firstkey does not keep (title, phoneNumbers, addresses, locale, password, groups, …)
// are accepted and ignored — neither stored nor returned (RFC 7644 §3.3: the service provider may
// ignore what it does not support) — so an IdP's default attribute mappings never block provisioning.

export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** Firstkey's own attributes, in the URN shape Entra accepts for custom extension attributes. */
export const FIRSTKEY_USER = 'urn:ietf:params:scim:schemas:extension:firstkey:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** What a SCIM client may write. `null` is "no value". */
export type ScimFields = {
  userName: string | null;
  externalId: string | null;
  /** Absent from a PUT or POST: unchanged (or true on create). Deactivation is never implied. */
  active: boolean | null;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  formatted: string | null;
  email: string | null;
  employeeNumber: string | null;
  department: string | null;
  /** The SCIM id (Firstkey user id) of the person's manager. */
  managerId: string | null;
  startDate: string | null;
};

export const EMPTY_FIELDS: ScimFields = {
  userName: null,
  externalId: null,
  active: null,
  displayName: null,
  givenName: null,
  familyName: null,
  formatted: null,
  email: null,
  employeeNumber: null,
  department: null,
  managerId: null,
  startDate: null,
};

type Op = 'add' | 'replace' | 'remove';
export type Refused = { ok: false; problem: ScimProblem };
type Result = { ok: true } | Refused;
const OK: Result = { ok: true };
const invalid = (detail: string, scimType: ScimProblem['scimType'] = 'invalidValue'): Refused => ({
  ok: false,
  problem: { status: 400, scimType, detail },
});

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `object[name]`, matching the name case-insensitively. */
export function member(object: Record<string, unknown>, name: string): unknown {
  const wanted = name.toLowerCase();
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === wanted);
  return key === undefined ? undefined : object[key];
}

function text(attribute: string, value: unknown, max = 254): string | null | Result {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return invalid(`${attribute} must be a string`);
  const trimmed = value.trim();
  if (trimmed.length > max) return invalid(`${attribute} is at most ${max} characters`);
  return trimmed === '' ? null : trimmed;
}

function boolean(attribute: string, value: unknown): boolean | Result {
  if (typeof value === 'boolean') return value;
  // Entra (without the aadOptscim062020 flag) sends booleans as the strings "True" and "False".
  if (typeof value === 'string' && /^(true|false)$/i.test(value))
    return value.toLowerCase() === 'true';
  return invalid(`${attribute} must be true or false, not ${JSON.stringify(value)}`);
}

const isResult = (value: unknown): value is Result => isObject(value) && 'ok' in value;

/** The email a multi-valued `emails` picks: the primary, else the work one, else the first. */
function pickEmail(value: unknown): string | null | Result {
  if (value === null || value === undefined) return null;
  const list = Array.isArray(value) ? value : [value];
  const emails = list.filter(isObject);
  if (emails.length !== list.length) return invalid('emails must be a list of { value, type }');
  const chosen =
    emails.find((email) => member(email, 'primary') === true) ??
    emails.find((email) => String(member(email, 'type') ?? '').toLowerCase() === 'work') ??
    emails[0];
  return chosen ? text('emails.value', member(chosen, 'value')) : null;
}

function managerOf(value: unknown): string | null | Result {
  // RFC 7643 §4.3: { value: "<id>" }; Entra's PATCH sends the bare id as the value.
  if (isObject(value)) return text('manager.value', member(value, 'value'), 100);
  return text('manager', value, 100);
}

const CORE_PREFIX = `${CORE_USER.toLowerCase()}:`;
const ENTERPRISE_PREFIX = ENTERPRISE_USER.toLowerCase();
const FIRSTKEY_PREFIX = FIRSTKEY_USER.toLowerCase();

/**
 * Applies one change at `path` (a SCIM attribute path, any case) to `fields`. `replace` and `add` are
 * the same for Firstkey's single-valued attributes; `remove` clears. Unknown paths change nothing.
 */
export function setAttribute(fields: ScimFields, op: Op, path: string, value: unknown): Result {
  let key = path.trim().toLowerCase().replace(/\s+/g, ' ');
  if (key.startsWith(CORE_PREFIX)) key = key.slice(CORE_PREFIX.length);
  for (const [prefix, scope] of [
    [ENTERPRISE_PREFIX, 'enterprise'],
    [FIRSTKEY_PREFIX, 'firstkey'],
  ] as const) {
    if (key === prefix) {
      // The whole extension: each of its attributes in turn.
      if (op === 'remove' || value === null) {
        for (const name of scope === 'enterprise'
          ? ['employeenumber', 'department', 'manager']
          : ['startdate'])
          setAttribute(fields, 'remove', `${prefix}:${name}`, null);
        return OK;
      }
      if (!isObject(value)) return invalid(`${path} must be an object`);
      for (const [name, inner] of Object.entries(value)) {
        const done = setAttribute(fields, op, `${prefix}:${name}`, inner);
        if (!done.ok) return done;
      }
      return OK;
    }
    if (key.startsWith(`${prefix}:`))
      return setExtension(fields, op, scope, key.slice(prefix.length + 1), value);
  }
  const remove = op === 'remove';
  const assign = <K extends keyof ScimFields>(name: K, parsed: ScimFields[K] | Result): Result => {
    if (isResult(parsed)) return parsed;
    fields[name] = parsed;
    return OK;
  };
  switch (key) {
    case 'username':
      if (remove) return invalid('userName is required and cannot be removed', 'mutability');
      return assign('userName', text('userName', value));
    case 'externalid':
      return assign('externalId', remove ? null : text('externalId', value, 200));
    case 'active':
      if (remove) return invalid('active cannot be removed; set it to false', 'mutability');
      return assign('active', boolean('active', value));
    case 'displayname':
      return assign('displayName', remove ? null : text('displayName', value, 200));
    case 'name': {
      if (remove || value === null) {
        fields.givenName = fields.familyName = fields.formatted = null;
        return OK;
      }
      if (!isObject(value)) return invalid('name must be an object');
      for (const [name, inner] of Object.entries(value)) {
        const done = setAttribute(fields, op, `name.${name}`, inner);
        if (!done.ok) return done;
      }
      return OK;
    }
    case 'name.givenname':
      return assign('givenName', remove ? null : text('name.givenName', value, 200));
    case 'name.familyname':
      return assign('familyName', remove ? null : text('name.familyName', value, 200));
    case 'name.formatted':
      return assign('formatted', remove ? null : text('name.formatted', value, 200));
    case 'emails':
      return assign('email', remove ? null : pickEmail(value));
    case 'emails.value':
    case 'emails[type eq "work"].value':
    case 'emails[primary eq true].value':
      return assign('email', remove ? null : text('emails.value', value));
    case 'emails[type eq "work"]':
    case 'emails[primary eq true]':
      return assign('email', remove ? null : pickEmail(value));
    default:
      // id, meta and schemas are the service provider's (RFC 7643 §3.1: readOnly, ignored when sent);
      // password, groups and every attribute Firstkey does not keep are ignored (see above).
      return OK;
  }
}

function setExtension(
  fields: ScimFields,
  op: Op,
  scope: 'enterprise' | 'firstkey',
  name: string,
  value: unknown,
): Result {
  const remove = op === 'remove';
  const set = <K extends keyof ScimFields>(field: K, parsed: ScimFields[K] | Result): Result => {
    if (isResult(parsed)) return parsed;
    fields[field] = parsed;
    return OK;
  };
  if (scope === 'firstkey')
    return name === 'startdate'
      ? set('startDate', remove ? null : text('startDate', value, 10))
      : OK;
  switch (name) {
    case 'employeenumber':
      return set('employeeNumber', remove ? null : text('employeeNumber', value, 64));
    case 'department':
      return set('department', remove ? null : text('department', value, 100));
    case 'manager':
      return set('managerId', remove ? null : managerOf(value));
    case 'manager.value':
      return set('managerId', remove ? null : text('manager.value', value, 100));
    default:
      return OK;
  }
}

/** The fields a whole resource (a POST or PUT body) gives. */
export function fieldsFromResource(body: unknown): { ok: true; fields: ScimFields } | Refused {
  if (!isObject(body))
    return invalid('The body must be a JSON object (a SCIM User)', 'invalidSyntax');
  const fields = { ...EMPTY_FIELDS };
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined) continue;
    const done = setAttribute(fields, 'replace', name, value);
    if (!done.ok) return done;
  }
  return { ok: true, fields };
}

/**
 * Applies a PatchOp body (RFC 7644 §3.5.2) to `current`. Operations apply in order, all or nothing:
 * the caller writes only when every one succeeded.
 */
export function applyPatch(
  current: ScimFields,
  body: unknown,
): { ok: true; fields: ScimFields } | Refused {
  const refuse = (detail: string, scimType: ScimProblem['scimType'] = 'invalidSyntax') =>
    invalid(detail, scimType);
  if (!isObject(body)) return refuse('The body must be a PatchOp JSON object');
  const operations = member(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0)
    return refuse(`A PatchOp body needs a non-empty "Operations" list (schemas: ["${PATCH_OP}"])`);
  const fields = { ...current };
  for (const [index, operation] of operations.entries()) {
    if (!isObject(operation)) return refuse(`Operations[${index}] must be an object`);
    const op = String(member(operation, 'op') ?? '').toLowerCase();
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      return refuse(
        `Operations[${index}].op must be "add", "replace" or "remove", not ${JSON.stringify(member(operation, 'op'))}`,
      );
    const path = member(operation, 'path');
    const value = member(operation, 'value');
    if (path !== undefined && typeof path !== 'string')
      return refuse(`Operations[${index}].path must be a string`, 'invalidPath');
    let done: Result;
    if (path === undefined || path === '') {
      if (op === 'remove')
        return refuse(
          `Operations[${index}]: "remove" needs a path (RFC 7644 §3.5.2.2)`,
          'noTarget',
        );
      if (!isObject(value))
        return refuse(
          `Operations[${index}]: without a path, the value must be an object of attributes`,
        );
      done = OK;
      for (const [name, inner] of Object.entries(value)) {
        done = setAttribute(fields, op, name, inner);
        if (!done.ok) break;
      }
    } else {
      if (op !== 'remove' && value === undefined)
        return refuse(`Operations[${index}]: "${op}" needs a value`);
      done = setAttribute(fields, op, path, value);
    }
    if (!done.ok) return done;
  }
  return { ok: true, fields };
}
