// Calls the app's route handlers in-process with requests shaped exactly as server.ts delivers them:
// the peer (device fingerprint, address) in the signed internal header.
import { applyPeerHeader, FRONT_DOOR_KEY_ENV, PEER_HEADER } from '@/lib/devices/front-door';

process.env[FRONT_DOOR_KEY_ENV] ??= 'integration-test-front-door-key';

export type Caller = { fingerprint: string | null; ip?: string; cookie?: string };

export function apiRequest(
  path: string,
  caller: Caller,
  init: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Request {
  const headers: Record<string, string> = {};
  applyPeerHeader(
    headers,
    { fingerprint: caller.fingerprint, ip: caller.ip ?? '192.0.2.10' },
    { mode: 'direct', proxyCertHeader: 'x-client-cert-sha256' },
    process.env[FRONT_DOOR_KEY_ENV]!,
  );
  return new Request(`https://localhost:3443${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'integration-test',
      [PEER_HEADER]: headers[PEER_HEADER]!,
      ...(caller.cookie ? { cookie: caller.cookie } : {}),
      ...init.headers,
    },
    body: init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
}

/** The `name=value` part of a Set-Cookie header, to send back as a Cookie header. */
export function cookieFrom(response: Response): string | undefined {
  return response.headers.get('set-cookie')?.split(';')[0];
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
