'use client';

import { useEffect, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import type { FieldProblem } from '@/lib/http/problem';

// Every staff form shows its errors the GOV.UK way (design-system.service.gov.uk/components/
// error-summary): all at once in a summary at the top of the form — role="alert", focused when it
// appears, each error a link that moves focus to its field — and each field carries its own message,
// tied to it with aria-describedby and marked aria-invalid. Forms set noValidate so the browser does
// not stop at the first empty field: the server's validation answers every field in one reply.

/** An error to show: `field` is the form's input name, or null for one about the whole form. */
export type FormError = { field: string | null; message: string };

/** What a failed staff request said (components/staff/staff-request.ts). */
type Failure = { message: string; code?: string; fields?: FieldProblem[] };

/**
 * The errors of a failed request, placed on the form's fields: `fields` names the input for a body
 * key that differs from it (`certificatePem` → `certificate`), and for a refusal code that is about
 * one field (`duplicate_email` → `email`).
 */
export function errorsOf(failure: Failure, fields: Record<string, string> = {}): FormError[] {
  if (failure.fields?.length)
    return failure.fields.map((problem) => ({
      field: fields[problem.field] ?? problem.field,
      message: problem.message,
    }));
  return [{ field: (failure.code && fields[failure.code]) ?? null, message: failure.message }];
}

/** What a field's input gets: its id and name, and when it is wrong aria-invalid and aria-describedby. */
export type FieldProps = {
  id: string;
  name: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
};

/** The summary's own words: English on the staff screens; the person's language on /account. */
export type SummaryWords = { title: string; errorPrefix: string };
const ENGLISH: SummaryWords = { title: 'There is a problem', errorPrefix: 'Error: ' };

/** The error state of one form; `form` prefixes the ids, so two forms on a page do not collide. */
export function useFormErrors(form: string, words: SummaryWords = ENGLISH) {
  const [errors, setErrors] = useState<FormError[]>([]);
  const idOf = (field: string) => `${form}-${field}`;
  const first = (field: string) => errors.find((error) => error.field === field);
  const field = (name: string): FieldProps => ({
    id: idOf(name),
    name,
    'aria-invalid': first(name) ? true : undefined,
    'aria-describedby': first(name) ? `${idOf(name)}-error` : undefined,
  });
  /** The field's own message, between its label and its input. */
  const message = (name: string) => {
    const error = first(name);
    return error ? (
      <span id={`${idOf(name)}-error`} className="mt-1 block font-semibold text-rose-800">
        <span className="sr-only">{words.errorPrefix}</span>
        {error.message}
      </span>
    ) : null;
  };
  return {
    errors,
    show: setErrors,
    clear: () => setErrors([]),
    field,
    message,
    /** A labelled field: label, its error if any, then the input `control` draws with `props`. */
    row: (name: string, label: ReactNode, control: (props: FieldProps) => ReactNode) => (
      <div className={`text-sm ${first(name) ? 'border-l-4 border-rose-700 pl-2' : ''}`}>
        <label htmlFor={idOf(name)} className="block">
          {label}
        </label>
        {message(name)}
        {control(field(name))}
      </div>
    ),
    summary: <ErrorSummary errors={errors} idOf={idOf} title={words.title} />,
  };
}

export function ErrorSummary({
  errors,
  idOf,
  title = ENGLISH.title,
}: {
  errors: FormError[];
  idOf: (field: string) => string;
  title?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors.length > 0) box.current?.focus();
  }, [errors]);
  if (errors.length === 0) return null;
  const jump = (field: string) => (event: MouseEvent<HTMLAnchorElement>) => {
    const input = document.getElementById(idOf(field));
    if (!input) return;
    event.preventDefault();
    input.focus();
    input.scrollIntoView({ block: 'center' });
  };
  return (
    <div
      ref={box}
      role="alert"
      tabIndex={-1}
      aria-labelledby={`${idOf('summary')}-title`}
      className="rounded border-2 border-rose-700 bg-white p-3 focus:outline-3 focus:outline-offset-2 focus:outline-amber-400"
      data-testid="error-summary"
    >
      <h2 id={`${idOf('summary')}-title`} className="font-semibold text-rose-900">
        {title}
      </h2>
      <ul className="mt-1 list-disc space-y-1 pl-5 text-sm">
        {errors.map((error, index) => (
          <li key={`${error.field ?? ''}-${index}`}>
            {error.field ? (
              <a
                href={`#${idOf(error.field)}`}
                onClick={jump(error.field)}
                className="font-medium text-rose-800 underline"
              >
                {error.message}
              </a>
            ) : (
              error.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
