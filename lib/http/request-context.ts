import 'server-only';
import type { RequestContext } from '@/lib/audit/actor';
import type { Peer } from '@/lib/devices/front-door';
import { presentedPeer } from '@/lib/devices/presented';

/** Who is on the other end of this request: device certificate, address and user agent. */
export function requestOrigin(request: Request): { peer: Peer; context: RequestContext } {
  const peer = presentedPeer(request.headers);
  return { peer, context: { ip: peer.ip, userAgent: request.headers.get('user-agent') } };
}
