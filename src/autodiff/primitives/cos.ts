import { atom, type Rule } from './rule.js';

/** cos a: ∂/∂a = −sin a. */
export const cos: Rule = {
  arity: 1,
  value: ([a]) => Math.cos(a!),
  partials: ([a]) => [-Math.sin(a!)],
  text: ([a]) => `cos ${atom(a!)}`,
  latex: ([a]) => `\\cos ${atom(a!)}`,
  partialsText: ([a]) => [`−sin ${atom(a!)}`],
};
