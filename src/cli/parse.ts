/** Strict parsers for option values: the whole string must be a number of the allowed kind. */
import { UsageError } from './errors.js';

function parseNumberStrict(flag: string, raw: string, allowed: string): number {
  const text = raw.trim();
  if (text === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) throw new UsageError(`${flag}: ${JSON.stringify(raw)} (${allowed})`);
  return Number(text);
}

/** A finite number > 0. */
export function positiveNumber(flag: string, raw: string): number {
  const allowed = 'must be a finite number > 0';
  const x = parseNumberStrict(flag, raw, allowed);
  if (!(x > 0) || !Number.isFinite(x)) throw new UsageError(`${flag}: ${raw} (${allowed})`);
  return x;
}

/** An integer >= 0 (at most 2^53 − 1). */
export function count(flag: string, raw: string): number {
  const allowed = 'must be a non-negative integer';
  const x = parseNumberStrict(flag, raw, allowed);
  if (!Number.isSafeInteger(x) || x < 0) throw new UsageError(`${flag}: ${raw} (${allowed})`);
  return x;
}

/** A probability strictly between 0 and 1. */
export function openUnit(flag: string, raw: string): number {
  const allowed = 'must be a number in (0, 1)';
  const x = parseNumberStrict(flag, raw, allowed);
  if (!(x > 0 && x < 1)) throw new UsageError(`${flag}: ${raw} (${allowed})`);
  return x;
}

/** A seed: any integer in the safe range. */
export function seed(flag: string, raw: string): number {
  const allowed = 'must be an integer';
  const x = parseNumberStrict(flag, raw, allowed);
  if (!Number.isSafeInteger(x)) throw new UsageError(`${flag}: ${raw} (${allowed})`);
  return x;
}

/** An integer >= 1 (>= `min` when given). */
export function positiveInt(flag: string, raw: string, min = 1): number {
  const n = count(flag, raw);
  if (n < min) throw new UsageError(`${flag}: ${n} (must be ${min === 1 ? 'a positive integer' : `an integer >= ${min}`})`);
  return n;
}

/** Comma-separated numbers in [0, max] (ε values, severities, poison rates); `kind` names them in the error. */
export function numberList(flag: string, raw: string, max: number, kind = 'numbers'): number[] {
  const parts = raw.split(',').map((s) => s.trim());
  const values = parts.map((p) => (p === '' ? NaN : Number(p)));
  if (values.some((v) => !(v >= 0 && v <= max))) throw new UsageError(`${flag}: ${JSON.stringify(raw)} (must be ${kind} in [0, ${max}] separated by commas)`);
  return values;
}
