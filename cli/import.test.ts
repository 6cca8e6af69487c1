import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { dataDir, firstkey } from './testing';

// The firstkey CLI: CSV import and concurrent writers. Shared set-up in cli/testing.ts.
// The concurrent writers run on a database an earlier command has already made: eight processes
// migrating a brand-new SQLite data folder at once race ("table \"User\" already exists").

describe('firstkey CLI', () => {
  test('import adds every row of a good CSV, and nothing from a file with a bad row', async () => {
    const good = path.join(dataDir, 'good.csv');
    fs.writeFileSync(
      good,
      'employee_id,name,email,start_date,manager_employee_id,department\nCSV1,Csv One,csv1@example.com,2026-12-01,,\n',
    );
    const imported = await firstkey('import', good);
    assert.equal(imported.code, 0, imported.stderr);
    assert.deepEqual(imported.json, { ok: true, imported: 1 });
    const bad = path.join(dataDir, 'bad.csv');
    fs.writeFileSync(
      bad,
      'employee_id,name,email,start_date\nCSV2,Csv Two,csv2@example.com,2026-12-01\nCSV3,Csv Three,csv3@example.com,soon\n',
    );
    const refused = await firstkey('import', bad);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /Nothing imported[\s\S]*line 3: startDate: Expected a date as YYYY-MM-DD/,
    );
    assert.equal((await firstkey('status', '--employee-id', 'CSV2')).code, 1);
  });

  test('several CLI processes writing at once all succeed and keep the audit chain intact', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        firstkey(
          'hire',
          'add',
          '--employee-id',
          `P${i}`,
          '--name',
          `Parallel ${i}`,
          '--email',
          `p${i}@example.com`,
          '--start-date',
          '2026-12-01',
        ),
      ),
    );
    assert.deepEqual(
      results.map((result) => result.code),
      Array(8).fill(0),
      results.map((result) => result.stderr).join('\n'),
    );
    const audit = await firstkey('audit', 'verify');
    assert.equal(audit.json?.ok, true);
  });

  test('import takes a file of 10,000 rows (the documented maximum) and refuses one more, without a stack trace', async () => {
    const rows = (count: number, prefix: string) =>
      Array.from(
        { length: count },
        (_, i) => `${prefix}${i},Bulk ${i},${prefix.toLowerCase()}${i}@example.com,2026-12-01,,`,
      );
    const header = 'employee_id,name,email,start_date,manager_employee_id,department';
    const big = path.join(dataDir, 'big.csv');
    fs.writeFileSync(big, [header, ...rows(10_000, 'BIG')].join('\n'));
    const imported = await firstkey('import', big);
    assert.equal(imported.code, 0, imported.stderr);
    assert.deepEqual(imported.json, { ok: true, imported: 10_000 });
    assert.equal(
      (await firstkey('status', '--employee-id', 'BIG9999')).json?.state,
      'awaiting_device',
    );

    const tooBig = path.join(dataDir, 'too-big.csv');
    fs.writeFileSync(tooBig, [header, ...rows(10_001, 'HUGE')].join('\n'));
    const refused = await firstkey('import', tooBig);
    assert.equal(refused.code, 1);
    assert.equal(
      refused.stderr,
      'firstkey import: Nothing imported: At most 10000 rows per file; this one has 10001: split it\n',
    );
    assert.equal((await firstkey('status', '--employee-id', 'HUGE0')).code, 1);
  });
});
