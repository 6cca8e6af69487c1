// SCIM's answers: `application/scim+json` (RFC 7644 §3.1), errors in the shape of RFC 7644 §3.12 —
// `status` as a string, a `scimType` for 400 and 409, a `detail` a person can act on.

export const SCIM_CONTENT_TYPE = 'application/scim+json';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** RFC 7644 Table 9's scimType values Firstkey uses. */
export type ScimType =
  | 'invalidFilter'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'invalidValue'
  | 'uniqueness'
  | 'mutability'
  | 'noTarget'
  | 'tooMany';

export type ScimProblem = { status: number; scimType?: ScimType; detail: string };

export function scimJson(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': SCIM_CONTENT_TYPE, 'cache-control': 'no-store', ...headers },
  });
}

export function scimError(problem: ScimProblem, headers: Record<string, string> = {}): Response {
  return scimJson(
    {
      schemas: [ERROR_SCHEMA],
      status: String(problem.status),
      ...(problem.scimType ? { scimType: problem.scimType } : {}),
      detail: problem.detail,
    },
    problem.status,
    headers,
  );
}
