import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatInZone } from '@/lib/time/zone';

describe('formatInZone', () => {
  const instant = new Date('2026-12-01T22:59:00Z');

  test('is English by default and names the zone', () => {
    assert.equal(formatInZone(instant, 'Europe/Berlin'), '1 Dec 2026, 23:59 CET');
  });

  test('formats for the given locale and still names the zone', () => {
    const german = formatInZone(instant, 'Europe/Berlin', 'de-DE');
    assert.match(german, /Dez/);
    assert.match(german, /23:59/);
    assert.match(german, /MEZ/);
    assert.notEqual(german, formatInZone(instant, 'Europe/Berlin'));
  });
});
