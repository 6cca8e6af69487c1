// test-databases: sqlite (reads the message catalogues: no database involved)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { CATALOGUES, translator } from '@/lib/i18n/catalogue';
import { LOCALES } from '@/lib/i18n/locale';

type Tree = { [key: string]: string | Tree };

/** Every message of a catalogue by its dotted key. */
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [inner, text] of flatten(value, path)) out.set(inner, text);
  }
  return out;
}

/** A message's placeholders and tags, with their kinds ("name:argument", "count:plural", "<strong>"). */
function placeholders(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.argument) into.add(`${element.value}:argument`);
    if (element.type === TYPE.number) into.add(`${element.value}:number`);
    if (element.type === TYPE.date || element.type === TYPE.time)
      into.add(`${element.value}:datetime`);
    if (element.type === TYPE.tag) {
      into.add(`<${element.value}>`);
      placeholders(element.children, into);
    }
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      into.add(`${element.value}:${element.type === TYPE.plural ? 'plural' : 'select'}`);
      for (const option of Object.values(element.options)) placeholders(option.value, into);
    }
  }
  return into;
}

const english = flatten(CATALOGUES.en as Tree);

describe('message catalogues', () => {
  for (const locale of LOCALES) {
    test(`${locale}: exactly the English keys, each with the same placeholders`, () => {
      const messages = flatten(CATALOGUES[locale] as Tree);
      assert.deepEqual([...messages.keys()].sort(), [...english.keys()].sort());
      for (const [key, text] of english) {
        const theirs = messages.get(key)!;
        assert.notEqual(theirs.trim(), '', `${locale} ${key} is empty`);
        assert.deepEqual(
          [...placeholders(parse(theirs))].sort(),
          [...placeholders(parse(text))].sort(),
          `${locale} ${key}: placeholders differ from English`,
        );
      }
    });
  }

  test('a missing key or a renamed placeholder is caught', () => {
    const broken = structuredClone(CATALOGUES.de) as Tree;
    delete (broken.problems as Tree).expired;
    assert.notDeepEqual([...flatten(broken).keys()].sort(), [...english.keys()].sort());
    assert.notDeepEqual(
      [...placeholders(parse('Willkommen, {nam}'))],
      [...placeholders(parse(english.get('enroll.welcomeTitle')!))],
    );
  });

  test('German plurals and selects render', () => {
    const t = translator('de');
    assert.equal(
      t('wait.minutesLeft', { minutes: 1 }),
      'Sie haben noch 1 Minute, um fertig zu werden.',
    );
    assert.equal(
      t('wait.minutesLeft', { minutes: 7 }),
      'Sie haben noch 7 Minuten, um fertig zu werden.',
    );
    assert.equal(
      t('ready.saved', { recovery: 'no', where: 'provider', provider: 'iCloud-Schlüsselbund' }),
      'Ihr Passkey ist in iCloud-Schlüsselbund gespeichert.',
    );
  });
});
