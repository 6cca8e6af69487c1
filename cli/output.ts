import { z } from 'zod';

/** A failure the person at the terminal can act on: printed on stderr, exit status non-zero. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Validates parsed flags with zod; the message names the flag as typed (`--start-date`). */
export function parseFlags<T extends z.ZodType>(
  schema: T,
  values: Record<string, unknown>,
): z.infer<T> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const flag =
      issue.path.length > 0
        ? `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
        : 'arguments';
    return `${flag}: ${issue.message}`;
  });
  throw new CliError(problems.join('\n'), 2);
}
