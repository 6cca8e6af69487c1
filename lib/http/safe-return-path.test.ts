import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeReturnPath } from '@/lib/http/safe-return-path';

test('sign-in returns only to paths on this site', () => {
  assert.equal(safeReturnPath('/it/hires/E1?x=1'), '/it/hires/E1?x=1');
  for (const attack of [
    '//evil.example',
    '/\\evil.example',
    '/\t/evil.example',
    '/%09/evil.example'.replace('%09', '\t'),
    '/\n/evil.example',
    'https://evil.example',
    'javascript:alert(1)',
    '',
    undefined,
  ]) {
    assert.equal(safeReturnPath(attack), '/console', String(attack));
  }
  assert.equal(safeReturnPath(['/manager', '//evil']), '/manager');
});
