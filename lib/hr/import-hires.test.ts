import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { verifyAuditChain } from '@/lib/audit/verify';
import { db } from '@/lib/db';
import { importHiresCsv, MAX_IMPORT_ROWS } from '@/lib/hr/import-hires';
import { parseCsv } from '@/lib/hr/csv-parse';

const context = { actor: { type: 'cli' } as const, at: new Date() };
const HEADER = 'employee_id,name,email,start_date,manager_employee_id,department';

describe('CSV import of hires', () => {
  test('a good file imports every row, managers may be defined on earlier lines', async () => {
    const csv = [
      HEADER,
      'IM1,"Lovelace, Ada",ada.im@example.com,2026-12-01,,Engineering',
      'IM2,Grace Hopper,grace.im@example.com,2026-12-02,IM1,Engineering',
    ].join('\r\n');
    assert.deepEqual(await importHiresCsv(db(), csv, context), { ok: true, imported: 2 });
    const grace = await db().user.findUniqueOrThrow({
      where: { employeeId: 'IM2' },
      include: { manager: true },
    });
    assert.equal(grace.manager?.employeeId, 'IM1');
    assert.equal(
      (await db().user.findUniqueOrThrow({ where: { employeeId: 'IM1' } })).name,
      'Lovelace, Ada',
    );
  });

  test('a file with any bad row imports nothing and reports each bad row by line', async () => {
    const before = await db().user.count();
    const csv = [
      HEADER,
      'IM10,Good Row,good.im@example.com,2026-12-01,,',
      'IM11,Bad Date,bad.im@example.com,2026-02-30,,',
      'IM12,,noname.im@example.com,2026-12-01,,',
      'IM10,Duplicate,dup.im@example.com,2026-12-01,,',
      'IM1,Exists,exists.im@example.com,2026-12-01,,',
      'IM13,Ghost Boss,ghost.im@example.com,2026-12-01,NOBODY,',
      'IM14,Too,few',
    ].join('\n');
    const result = await importHiresCsv(db(), csv, context);
    assert.ok(!result.ok && result.reason === 'invalid_rows');
    assert.deepEqual(
      result.errors.map((error) => error.line),
      [3, 4, 5, 6, 7, 8],
    );
    assert.match(result.errors[0]!.message, /startDate: Not a calendar date/);
    assert.match(result.errors[2]!.message, /also on line 2/);
    assert.match(result.errors[3]!.message, /already exists/);
    assert.match(result.errors[4]!.message, /manager "NOBODY"/);
    assert.match(result.errors[5]!.message, /Expected 6 fields, found 3/);
    assert.equal(await db().user.count(), before);
  });

  test('an email that differs only in case is the same address, on either database', async () => {
    const csv = [
      HEADER,
      'IM30,Ada Again,ADA.IM@Example.COM,2026-12-01,,',
      'IM31,New Person,New.Person@Example.com,2026-12-01,,',
      'IM32,Same Person,new.person@example.COM,2026-12-01,,',
    ].join('\n');
    const result = await importHiresCsv(db(), csv, context);
    assert.ok(!result.ok && result.reason === 'invalid_rows');
    assert.deepEqual(
      result.errors.map((error) => [error.line, error.message]),
      [
        [2, 'email "ada.im@example.com" already exists'],
        [4, 'email "new.person@example.com" also on line 3'],
      ],
    );
  });

  test('a wrong header, an empty file, or broken quoting is refused with a clear message', async () => {
    for (const [csv, message] of [
      ['id,name\n1,x', /missing: employee_id, email, start_date; unknown: id/],
      [HEADER, /no rows after the header/],
      [`${HEADER}\nIM20,"unterminated,x@example.com,2026-12-01,,`, /never closed/],
    ] as const) {
      const result = await importHiresCsv(db(), csv, context);
      assert.ok(!result.ok && result.reason === 'invalid_rows');
      assert.match(result.errors[0]!.message, message);
    }
  });

  test('the CSV parser handles quotes, embedded commas and line breaks, CRLF and a BOM', () => {
    assert.deepEqual(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi""\nthere"\n'), {
      ok: true,
      rows: [
        ['a', 'b'],
        ['x, y', 'say "hi"\nthere'],
      ],
    });
  });
});

describe('CSV import at its documented maximum', () => {
  const rows = (count: number, prefix: string, from = 0) =>
    Array.from(
      { length: count },
      (_, i) =>
        `${prefix}${from + i},Bulk Hire ${from + i},${prefix.toLowerCase()}${from + i}@example.com,2026-12-01,${i > 0 ? `${prefix}${from}` : ''},Bulk`,
    );

  test(`a file of ${MAX_IMPORT_ROWS} rows imports every row, each in the audit trail`, async () => {
    const csv = [HEADER, ...rows(MAX_IMPORT_ROWS, 'BK')].join('\r\n');
    const started = performance.now();
    assert.deepEqual(await importHiresCsv(db(), csv, context), {
      ok: true,
      imported: MAX_IMPORT_ROWS,
    });
    console.log(
      `imported ${MAX_IMPORT_ROWS} rows in ${Math.round(performance.now() - started)} ms`,
    );
    assert.equal(
      await db().user.count({ where: { employeeId: { startsWith: 'BK' } } }),
      MAX_IMPORT_ROWS,
    );
    assert.equal(
      await db().user.count({ where: { manager: { employeeId: 'BK0' } } }),
      MAX_IMPORT_ROWS - 1,
    );
    const last = await db().user.findUniqueOrThrow({
      where: { employeeId: `BK${MAX_IMPORT_ROWS - 1}` },
    });
    assert.deepEqual(
      [last.email, last.enrollmentState, last.createdAt, last.updatedAt],
      [`bk${MAX_IMPORT_ROWS - 1}@example.com`, 'awaiting_device', context.at, context.at],
    );
    assert.equal(
      await db().auditEvent.count({
        where: { action: 'hire_added', details: { contains: '"BK' } },
      }),
      MAX_IMPORT_ROWS,
    );
    assert.ok((await verifyAuditChain(db())).ok);
  });

  test(`a ${MAX_IMPORT_ROWS}-row file whose last row clashes with an existing person imports nothing`, async () => {
    const before = await db().user.count();
    const csv = [
      HEADER,
      ...rows(MAX_IMPORT_ROWS - 1, 'BL'),
      'BK5,Already Here,bl-clash@example.com,2026-12-01,,',
    ].join('\n');
    const result = await importHiresCsv(db(), csv, context);
    assert.deepEqual(result, {
      ok: false,
      reason: 'invalid_rows',
      errors: [{ line: MAX_IMPORT_ROWS + 1, message: 'employee id "BK5" already exists' }],
    });
    assert.equal(await db().user.count(), before);
  });

  test(`a file of more than ${MAX_IMPORT_ROWS} rows is refused whole, with the limit in the message`, async () => {
    const before = await db().user.count();
    const csv = [HEADER, ...rows(MAX_IMPORT_ROWS + 1, 'BM')].join('\n');
    const result = await importHiresCsv(db(), csv, context);
    assert.deepEqual(result, {
      ok: false,
      reason: 'too_large',
      message: `At most ${MAX_IMPORT_ROWS} rows per file; this one has ${MAX_IMPORT_ROWS + 1}: split it`,
    });
    assert.equal(await db().user.count(), before);
  });
});
