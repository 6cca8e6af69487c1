import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProviderRequest } from '@/lib/oidc/front';

describe('which requests the provider answers', () => {
  test('discovery and its endpoints go to the provider; the passkey page and the rest of the portal do not', () => {
    assert.equal(isProviderRequest('GET', '/.well-known/openid-configuration'), true);
    assert.equal(isProviderRequest('GET', '/oidc/auth?client_id=x'), true);
    assert.equal(isProviderRequest('POST', '/oidc/token'), true);
    assert.equal(isProviderRequest('GET', '/oidc/jwks'), true);
    assert.equal(isProviderRequest('POST', '/oidc/interaction/abc/passkey'), true);
    assert.equal(isProviderRequest('GET', '/oidc/interaction/abc'), false);
    assert.equal(isProviderRequest('GET', '/oidc/interaction/abc?x=1'), false);
    assert.equal(isProviderRequest('GET', '/oidcx/auth'), false);
    assert.equal(isProviderRequest('GET', '/signin'), false);
    assert.equal(isProviderRequest('POST', '/api/passkeys/authenticate/options'), false);
  });
});
