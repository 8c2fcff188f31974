import { atom, type Rule } from './rule.js';

/** a − b: ∂/∂a = 1, ∂/∂b = −1. */
export const sub: Rule = {
  arity: 2,
  value: ([a, b]) => a! - b!,
  partials: () => [1, -1],
  text: ([a, b]) => `${a} − ${atom(b!)}`,
  latex: ([a, b]) => `${a} - ${atom(b!)}`,
  partialsText: () => ['1', '−1'],
};
