import { presentedPeer } from '@/lib/devices/presented';

export const dynamic = 'force-dynamic';

/** Which device certificate this browser presents (a diagnostic for IT and for tests). */
export function GET(request: Request) {
  const { fingerprint } = presentedPeer(request.headers);
  return Response.json(
    { certificate: fingerprint ? { fingerprint } : null },
    { headers: { 'cache-control': 'no-store' } },
  );
}
