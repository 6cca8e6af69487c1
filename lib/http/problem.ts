/** Every error the API returns has this shape: a stable code for programs, a sentence for people. */
export type ProblemBody = {
  error: {
    code: string;
    message: string;
    retryAfterSeconds?: number;
    validFrom?: string;
    /** A short code the person can read to IT (lib/enrollment/reference.ts). */
    reference?: string;
    /** When an enrollment session opened (its lifetime counts from then). */
    openedAt?: string;
    /** The hire's language from their record, told only to their own laptop (lib/i18n/locale.ts). */
    language?: string;
    /** Invalid input: every field's problem at once, by the body's field name (for a form's error summary). */
    fields?: FieldProblem[];
  };
};

/** One field's problem: `field` is the JSON body's top-level key. */
export type FieldProblem = { field: string; message: string };

export function problem(
  status: number,
  code: string,
  message: string,
  extra: {
    retryAfterSeconds?: number;
    validFrom?: Date;
    reference?: string;
    openedAt?: Date;
    language?: string | null;
    fields?: FieldProblem[];
    headers?: Record<string, string>;
  } = {},
): Response {
  const body: ProblemBody = {
    error: {
      code,
      message,
      ...(extra.retryAfterSeconds !== undefined
        ? { retryAfterSeconds: extra.retryAfterSeconds }
        : {}),
      ...(extra.validFrom ? { validFrom: extra.validFrom.toISOString() } : {}),
      ...(extra.reference ? { reference: extra.reference } : {}),
      ...(extra.openedAt ? { openedAt: extra.openedAt.toISOString() } : {}),
      ...(extra.language ? { language: extra.language } : {}),
      ...(extra.fields ? { fields: extra.fields } : {}),
    },
  };
  return Response.json(body, {
    status,
    headers: {
      'cache-control': 'no-store',
      ...(extra.retryAfterSeconds !== undefined
        ? { 'retry-after': String(extra.retryAfterSeconds) }
        : {}),
      ...extra.headers,
    },
  });
}

export function ok(body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status: 200, headers: { 'cache-control': 'no-store', ...headers } });
}
