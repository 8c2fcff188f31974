/**
 * The one error type for invalid arguments. Its message reads `<what>: <value> (<allowed>)`,
 * e.g. `alpha: -1 (must be a finite number > 0)`; shells print it as one line and exit with 2.
 */
export class ArgumentError extends Error {
  override readonly name = 'ArgumentError';
  constructor(
    readonly argument: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`${argument}: ${formatValue(value)} (${allowed})`);
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === undefined) return 'missing';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Throws unless `x` is a finite number > 0. */
export function requirePositive(name: string, x: number): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || !(x > 0)) throw new ArgumentError(name, x, 'must be a finite number > 0');
  return x;
}

/** Throws unless `x` is an integer >= 0 (and a safe integer). */
export function requireCount(name: string, x: number): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) throw new ArgumentError(name, x, 'must be a non-negative integer');
  return x;
}

/** Throws unless `x` is a number in the open interval (0, 1). */
export function requireOpenUnit(name: string, x: number): number {
  if (typeof x !== 'number' || !(x > 0 && x < 1)) throw new ArgumentError(name, x, 'must be a number in (0, 1)');
  return x;
}

/** Throws unless `x` is a number in the closed interval [0, 1]. */
export function requireUnit(name: string, x: number): number {
  if (typeof x !== 'number' || !(x >= 0 && x <= 1)) throw new ArgumentError(name, x, 'must be a number in [0, 1]');
  return x;
}
