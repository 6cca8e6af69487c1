import 'server-only';
import {
  FRONT_DOOR_KEY_ENV,
  PEER_HEADER,
  readPeerHeader,
  type Peer,
} from '@/lib/devices/front-door';

/** The device certificate fingerprint and client address of this request, as server.ts saw them. */
export function presentedPeer(headers: Headers): Peer {
  return readPeerHeader(headers.get(PEER_HEADER), process.env[FRONT_DOOR_KEY_ENV]);
}
