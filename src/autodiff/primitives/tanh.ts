import { atom, type Rule } from './rule.js';

/** tanh a: ∂/∂a = 1 − tanh² a. */
export const tanh: Rule = {
  arity: 1,
  value: ([a]) => Math.tanh(a!),
  partials: (_, value) => [1 - value * value],
  text: ([a]) => `tanh ${atom(a!)}`,
  latex: ([a]) => `\\tanh ${atom(a!)}`,
  partialsText: (_, self) => [`1 − ${self}²`],
};
