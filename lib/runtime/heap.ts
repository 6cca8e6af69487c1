import v8 from 'node:v8';

// How far V8 lets the server's heap grow past what survived its last full collection. V8's own
// factor rises with the allocation rate, up to 4×: under a cohort of enrollments the server kept
// ~57 MiB alive in a heap V8 let reach 150 MiB, and its RSS peaked at 275–301 MiB. At 1.25× the heap
// stays near 100 MiB and the peak near 230 MiB, for a few more full collections (each a few ms;
// `npm run bench` showed no change in throughput). A factor, not a limit: the heap still grows as far
// as live data needs (a FIDO metadata import, say), where a --max-old-space-size would abort.

export const HEAP_GROWING_PERCENT = 25;
const FLAG = '--heap-growing-percent';

/** The V8 flag to set, or null when the process was started with its own. */
export function heapGrowthFlag(execArgv: readonly string[]): string | null {
  // V8 reads `_` and `-` alike in its flags' names.
  const own = execArgv
    .map((arg) => (arg.split('=')[0] ?? '').replaceAll('_', '-'))
    .some((name) => name === FLAG);
  return own ? null : `${FLAG}=${HEAP_GROWING_PERCENT}`;
}

/** Sets the server's heap growth (V8 reads the factor at every full collection, so now is in time). */
export function limitHeapGrowth(): void {
  const flag = heapGrowthFlag(process.execArgv);
  if (flag) v8.setFlagsFromString(flag);
}
