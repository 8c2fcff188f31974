import { atom, type Rule } from './rule.js';

/** σ(a) = 1/(1 + e^−a): ∂/∂a = σ(a)(1 − σ(a)). Evaluated without overflow for either sign. */
export const sigmoid: Rule = {
  arity: 1,
  value: ([a]) => (a! >= 0 ? 1 / (1 + Math.exp(-a!)) : Math.exp(a!) / (1 + Math.exp(a!))),
  partials: (_, value) => [value * (1 - value)],
  text: ([a]) => `σ(${a})`,
  latex: ([a]) => `\\sigma(${a})`,
  partialsText: (_, self) => [`${self} (1 − ${self})`],
};
