import { atom, type Rule } from './rule.js';

/** a · b: ∂/∂a = b, ∂/∂b = a. */
export const mul: Rule = {
  arity: 2,
  value: ([a, b]) => a! * b!,
  partials: ([a, b]) => [b!, a!],
  text: ([a, b]) => `${atom(a!)} · ${atom(b!)}`,
  latex: ([a, b]) => `${atom(a!)} \\cdot ${atom(b!)}`,
  partialsText: ([a, b]) => [b!, a!],
};
