// test-databases: sqlite
// (no database: a process flag)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HEAP_GROWING_PERCENT, heapGrowthFlag } from '@/lib/runtime/heap';

test('the server sets its heap growth unless it was started with its own', () => {
  assert.equal(heapGrowthFlag([]), `--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  assert.equal(
    heapGrowthFlag(['--enable-source-maps']),
    `--heap-growing-percent=${HEAP_GROWING_PERCENT}`,
  );
  assert.equal(heapGrowthFlag(['--heap-growing-percent=50']), null);
  assert.equal(heapGrowthFlag(['--heap-growing-percent', '50']), null);
  assert.equal(heapGrowthFlag(['--heap_growing_percent=50']), null);
  // A flag that merely starts the same way is another flag.
  assert.equal(
    heapGrowthFlag(['--heap-growing-percentile=5']),
    `--heap-growing-percent=${HEAP_GROWING_PERCENT}`,
  );
});
