import { atom, type Rule } from './rule.js';

/** exp a: ∂/∂a = exp a (the value itself). */
export const exp: Rule = {
  arity: 1,
  value: ([a]) => Math.exp(a!),
  partials: (_, value) => [value],
  text: ([a]) => `exp ${atom(a!)}`,
  latex: ([a]) => `e^{${a}}`,
  partialsText: (_, self) => [self],
};
