import { OIDC_PREFIX } from '@/lib/oidc/policy';

// Which requests server.ts hands to the provider instead of Next.js: discovery, and everything under
// /oidc except the passkey page itself (GET /oidc/interaction/:uid), which is a Firstkey page.

export const DISCOVERY_PATH = '/.well-known/openid-configuration';
const INTERACTION_PAGE = new RegExp(`^${OIDC_PREFIX}/interaction/[^/]+/?$`);

export function isProviderRequest(method: string | undefined, url: string | undefined): boolean {
  const path = (url ?? '/').split('?')[0]!;
  if (path === DISCOVERY_PATH) return true;
  if (!path.startsWith(`${OIDC_PREFIX}/`)) return false;
  return !(INTERACTION_PAGE.test(path) && (method === 'GET' || method === 'HEAD'));
}
