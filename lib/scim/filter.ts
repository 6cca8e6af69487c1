// The subset of SCIM filters (RFC 7644 §3.4.2.2) that provisioning clients use to find a person
// before creating them: `eq` on userName, externalId or the email, joined by `and`.
//   userName eq "ada@example.com"                               (Okta, Entra)
//   externalId eq "00u1b2c3"                                    (Entra)
//   emails[type eq "work"].value eq "ada@example.com"           (Entra's matching on email)
// Anything else — `or`, `not`, other operators, other attributes, non-string values — is refused as
// `invalidFilter` rather than half-understood: a filter read wrongly would link the wrong person.

export type FilterAttribute = 'userName' | 'externalId' | 'email';
export type FilterClause = { attribute: FilterAttribute; value: string };
export type ParsedFilter = { ok: true; clauses: FilterClause[] } | { ok: false; message: string };

const CORE_PREFIX = 'urn:ietf:params:scim:schemas:core:2.0:user:';
const ATTRIBUTES: Record<string, FilterAttribute> = {
  username: 'userName',
  externalid: 'externalId',
  'emails.value': 'email',
  'emails[type eq "work"].value': 'email',
  'emails[primary eq true].value': 'email',
};
const MAX_CLAUSES = 5;

/** Reads an attribute path up to the first space outside brackets and quotes. */
function readPath(text: string, from: number): { path: string; end: number } {
  let depth = 0;
  let quoted = false;
  let index = from;
  for (; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted) {
      if (char === '\\') index += 1;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === '[') depth += 1;
    else if (char === ']') depth -= 1;
    else if (char === ' ' && depth === 0) break;
  }
  return { path: text.slice(from, index), end: index };
}

function attributeOf(path: string): FilterAttribute | undefined {
  let key = path.toLowerCase().replace(/\s+/g, ' ');
  if (key.startsWith(CORE_PREFIX)) key = key.slice(CORE_PREFIX.length);
  return ATTRIBUTES[key];
}

export function parseFilter(filter: string): ParsedFilter {
  const text = filter.trim();
  const refuse = (message: string): ParsedFilter => ({ ok: false, message });
  if (text === '') return refuse('The filter is empty');
  const clauses: FilterClause[] = [];
  let at = 0;
  for (;;) {
    const { path, end } = readPath(text, at);
    const attribute = attributeOf(path);
    if (!attribute)
      return refuse(
        `Filtering on "${path.slice(0, 100)}" is not supported; use userName, externalId or emails.value`,
      );
    const operator = /^ +([A-Za-z]+) +/.exec(text.slice(end));
    if (!operator) return refuse(`Expected an operator after "${path.slice(0, 100)}"`);
    if (operator[1]!.toLowerCase() !== 'eq')
      return refuse(`The operator "${operator[1]}" is not supported; only "eq" is`);
    at = end + operator[0].length;
    const literal = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(at));
    if (!literal) return refuse(`Expected a quoted string after "${path.slice(0, 100)} eq"`);
    let value: string;
    try {
      value = JSON.parse(literal[0]) as string;
    } catch {
      return refuse(`The string ${literal[0].slice(0, 100)} is not a valid JSON string`);
    }
    clauses.push({ attribute, value });
    at += literal[0].length;
    if (at === text.length) return { ok: true, clauses };
    const join = /^ +([A-Za-z]+) +/.exec(text.slice(at));
    if (!join || join[1]!.toLowerCase() !== 'and')
      return refuse(
        `Expected "and" after a comparison, not "${text.slice(at).trim().slice(0, 100)}"; "or", "not" and groups are not supported`,
      );
    if (clauses.length === MAX_CLAUSES)
      return refuse(`At most ${MAX_CLAUSES} comparisons may be joined`);
    at += join[0].length;
  }
}
