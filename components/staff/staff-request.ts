'use client';

import { startAuthentication } from '@simplewebauthn/browser';
import { signIn } from 'next-auth/react';

import type { FieldProblem } from '@/lib/http/problem';

export type ActionResult<T> =
  { ok: true; body: T } | { ok: false; message: string; code?: string; fields?: FieldProblem[] };

/** Confirms it is still you: a passkey assertion, which renews the staff session's freshness. */
async function confirmWithPasskey(): Promise<boolean> {
  const options = await fetch('/api/passkeys/authenticate/options', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (!options.ok) return false;
  try {
    const assertion = await startAuthentication({ optionsJSON: await options.json() });
    const result = await signIn('passkey', {
      response: JSON.stringify(assertion),
      redirect: false,
    });
    return Boolean(result && !result.error);
  } catch {
    return false;
  }
}

/**
 * Calls a console action. When the server asks for a fresh passkey assertion (sensitive actions),
 * prompts for the passkey once and retries.
 */
export async function staffRequest<T>(path: string, body: unknown): Promise<ActionResult<T>> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let response: Response;
    try {
      response = await fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch {
      return {
        ok: false,
        message: 'Firstkey could not be reached. Check your connection and try again.',
      };
    }
    const json = (await response.json().catch(() => null)) as
      (T & { error?: { code: string; message: string; fields?: FieldProblem[] } }) | null;
    if (response.ok) return { ok: true, body: json as T };
    const error = json?.error ?? {
      code: 'unknown',
      message: `Unexpected answer (HTTP ${response.status})`,
    };
    if (error.code === 'stale_assertion' && attempt === 0) {
      if (await confirmWithPasskey()) continue;
      return {
        ok: false,
        message: 'This action needs you to confirm with your passkey. Try again.',
      };
    }
    return { ok: false, message: error.message, code: error.code, fields: json?.error?.fields };
  }
  return { ok: false, message: 'This action needs you to confirm with your passkey. Try again.' };
}
