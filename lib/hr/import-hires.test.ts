import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { db } from '@/lib/db';
import { importHiresCsv } from '@/lib/hr/import-hires';
import { parseCsv } from '@/lib/hr/csv-parse';

const context = { actor: { type: 'cli' } as const, at: new Date() };
const HEADER = 'employee_id,name,email,start_date,manager_employee_id,department';

describe('CSV import of hires', () => {
  test('a good file imports every row, managers may be defined on earlier lines', async () => {
    const csv = [HEADER, 'IM1,"Lovelace, Ada",ada.im@example.com,2026-12-01,,Engineering', 'IM2,Grace Hopper,grace.im@example.com,2026-12-02,IM1,Engineering'].join('\r\n');
    assert.deepEqual(await importHiresCsv(db(), csv, context), { ok: true, imported: 2 });
    const grace = await db().user.findUniqueOrThrow({ where: { employeeId: 'IM2' }, include: { manager: true } });
    assert.equal(grace.manager?.employeeId, 'IM1');
    assert.equal((await db().user.findUniqueOrThrow({ where: { employeeId: 'IM1' } })).name, 'Lovelace, Ada');
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
    assert.ok(!result.ok);
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

  test('a wrong header, an empty file, or broken quoting is refused with a clear message', async () => {
    for (const [csv, message] of [
      ['id,name\n1,x', /missing: employee_id, email, start_date; unknown: id/],
      [HEADER, /no rows after the header/],
      [`${HEADER}\nIM20,"unterminated,x@example.com,2026-12-01,,`, /never closed/],
    ] as const) {
      const result = await importHiresCsv(db(), csv, context);
      assert.ok(!result.ok);
      assert.match(result.errors[0]!.message, message);
    }
  });

  test('the CSV parser handles quotes, embedded commas and line breaks, CRLF and a BOM', () => {
    assert.deepEqual(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi""\nthere"\n'), { ok: true, rows: [['a', 'b'], ['x, y', 'say "hi"\nthere']] });
  });
});
