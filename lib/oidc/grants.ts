import 'server-only';
import type Provider from 'oidc-provider';
import type { Grant } from 'oidc-provider';

// Every client is first-party: IT registered it for the company's own people. So signing in is the
// consent, and no consent screen is shown; the provider still records what each app was granted as a
// Grant (scopes), the same record a consent screen would make, which revocation ends per person.

export async function firstPartyGrant(
  provider: Provider,
  input: {
    accountId: string;
    clientId: string;
    requestedScope: string | undefined;
    existingGrantId?: string | undefined;
  },
): Promise<Grant> {
  const existing = input.existingGrantId
    ? await provider.Grant.find(input.existingGrantId)
    : undefined;
  const usable =
    existing && existing.accountId === input.accountId && existing.clientId === input.clientId
      ? existing
      : undefined;
  const grant =
    usable ?? new provider.Grant({ accountId: input.accountId, clientId: input.clientId });
  const granted = new Set(grant.getOIDCScopeEncountered().split(' '));
  const missing = (input.requestedScope ?? '')
    .split(' ')
    .filter((scope) => scope && !granted.has(scope));
  if (missing.length > 0 || !usable) {
    grant.addOIDCScope(missing);
    await grant.save();
  }
  return grant;
}
