import { atom, type Rule } from './rule.js';

/** sin a: ∂/∂a = cos a. */
export const sin: Rule = {
  arity: 1,
  value: ([a]) => Math.sin(a!),
  partials: ([a]) => [Math.cos(a!)],
  text: ([a]) => `sin ${atom(a!)}`,
  latex: ([a]) => `\\sin ${atom(a!)}`,
  partialsText: ([a]) => [`cos ${atom(a!)}`],
};
