// A refusal found half-way through a write transaction: thrown inside it to roll everything back,
// turned back into an ordinary outcome by the caller (`catch (error) { return refusalOf(error); }`).
// Exceptions stay for bugs everywhere else: refusalOf re-throws anything that is not a Rollback.

export class Rollback<Reason extends string> extends Error {
  constructor(
    readonly reason: Reason,
    message: string,
  ) {
    super(message);
  }
}

export function refusalOf<Reason extends string>(
  error: unknown,
): { ok: false; reason: Reason; message: string } {
  if (error instanceof Rollback)
    return { ok: false, reason: error.reason as Reason, message: error.message };
  throw error;
}
