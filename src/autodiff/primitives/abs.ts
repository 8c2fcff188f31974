import { atom, type Rule } from './rule.js';

/** |a|: ∂/∂a = sign a, taken as 0 at a = 0 (the subgradient PyTorch and JAX use). */
export const abs: Rule = {
  arity: 1,
  value: ([a]) => Math.abs(a!),
  partials: ([a]) => [a! > 0 ? 1 : a! < 0 ? -1 : 0],
  text: ([a]) => `|${a}|`,
  latex: ([a]) => `\\left|${a}\\right|`,
  partialsText: ([a]) => [`sign ${atom(a!)}`],
};
