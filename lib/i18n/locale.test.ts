// test-databases: sqlite (pure functions: no database involved)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  bestFromAcceptLanguage,
  dateLocale,
  isHireFacingPath,
  normaliseLocale,
  resolveLocale,
} from '@/lib/i18n/locale';
import { formatInZone } from '@/lib/time/zone';

describe('normaliseLocale', () => {
  test('a supported language in any spelling of its tag', () => {
    assert.equal(normaliseLocale('de'), 'de');
    assert.equal(normaliseLocale('de-DE'), 'de');
    assert.equal(normaliseLocale('DE-at'), 'de');
    assert.equal(normaliseLocale('de_CH'), 'de');
    assert.equal(normaliseLocale(' en-GB '), 'en');
    assert.equal(normaliseLocale('en-Latn-US'), 'en');
  });

  test('junk, an unsupported language and nothing all give null', () => {
    for (const tag of [
      '',
      'fr',
      'fr-CA',
      'deutsch',
      'd',
      '*',
      'de-',
      '12',
      'de;q=1',
      null,
      undefined,
    ])
      assert.equal(normaliseLocale(tag), null, String(tag));
  });
});

describe('bestFromAcceptLanguage', () => {
  test('the first supported range, honouring q-values over header order', () => {
    assert.equal(bestFromAcceptLanguage('de-DE,de;q=0.9,en;q=0.8'), 'de');
    assert.equal(bestFromAcceptLanguage('en;q=0.5, de;q=0.9'), 'de');
    assert.equal(bestFromAcceptLanguage('fr-FR, fr;q=0.9, de;q=0.4, en;q=0.3'), 'de');
    assert.equal(bestFromAcceptLanguage('en-US,en;q=0.9,de;q=0.8'), 'en');
  });

  test('equal q-values keep header order; q=0 excludes; nothing supported gives null', () => {
    assert.equal(bestFromAcceptLanguage('de;q=0.7, en;q=0.7'), 'de');
    assert.equal(bestFromAcceptLanguage('de;q=0, en;q=0.1'), 'en');
    assert.equal(bestFromAcceptLanguage('fr, es;q=0.5'), null);
    assert.equal(bestFromAcceptLanguage('*'), null);
    assert.equal(bestFromAcceptLanguage(''), null);
    assert.equal(bestFromAcceptLanguage(null), null);
    assert.equal(bestFromAcceptLanguage(';;,,q=1'), null);
  });
});

describe('resolveLocale', () => {
  test('the record wins over the browser', () => {
    assert.equal(resolveLocale({ record: 'de', acceptLanguage: 'en-US,en' }), 'de');
    assert.equal(resolveLocale({ record: 'en-GB', acceptLanguage: 'de-DE' }), 'en');
  });

  test('no record, or one naming an unsupported language: the browser; then English', () => {
    assert.equal(resolveLocale({ record: null, acceptLanguage: 'de-DE' }), 'de');
    assert.equal(resolveLocale({ record: 'fr', acceptLanguage: 'de-DE,fr;q=0.9' }), 'de');
    assert.equal(resolveLocale({ record: 'fr', acceptLanguage: 'fr' }), 'en');
    assert.equal(resolveLocale({}), 'en');
    assert.equal(resolveLocale({ record: null, fallback: 'de' }), 'de');
  });

  test('dates are written for the language and still name the zone', () => {
    const instant = new Date('2026-12-01T22:59:00Z');
    assert.equal(formatInZone(instant, 'Europe/Berlin', dateLocale('en')), '1 Dec 2026, 23:59 CET');
    assert.match(
      formatInZone(instant, 'Europe/Berlin', dateLocale('de')),
      /^1\. Dez\. 2026, 23:59 MEZ$/,
    );
  });
});

describe('isHireFacingPath', () => {
  test('the hire\u2019s pages and unknown addresses speak the person\u2019s language; staff screens stay English', () => {
    for (const path of [
      '/enroll',
      '/enroll?x=1',
      '/signin?callbackUrl=%2Faccount',
      '/account',
      '/nope',
    ])
      assert.equal(isHireFacingPath(path), true, path);
    for (const path of [
      '/',
      '/it',
      '/it/hires/1',
      '/manager',
      '/console',
      '/oidc/interaction/x',
      null,
    ])
      assert.equal(isHireFacingPath(path), false, String(path));
    assert.equal(isHireFacingPath('/items'), true);
  });
});
