import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseJson } from '@/lib/http/parse-json';
import type { ProblemBody } from '@/lib/http/problem';
import { HireInput } from '@/lib/hires/hire-input';

// test-databases: sqlite
// (No database involved: one pass is enough.)

describe('invalid input is answered field by field', () => {
  test('every wrong field is listed once, by its body key, so a form can show all of them at once', async () => {
    const request = new Request('https://localhost/x', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ employeeId: '', name: '', email: 'nope', startDate: '2026-02-30' }),
    });
    const parsed = await parseJson(request, HireInput, 4096);
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    assert.equal(parsed.response.status, 400);
    const body = (await parsed.response.json()) as ProblemBody;
    assert.equal(body.error.code, 'invalid_request');
    assert.deepEqual(body.error.fields, [
      { field: 'employeeId', message: 'Employee id is required' },
      { field: 'name', message: 'Name is required' },
      { field: 'email', message: 'Expected an email address' },
      { field: 'startDate', message: 'Not a calendar date' },
    ]);
  });
});
