import { atom, type Rule } from './rule.js';

/** −a: ∂/∂a = −1. */
export const neg: Rule = {
  arity: 1,
  value: ([a]) => -a!,
  partials: () => [-1],
  text: ([a]) => `−${atom(a!)}`,
  latex: ([a]) => `-${atom(a!)}`,
  partialsText: () => ['−1'],
};
