import { atom, type Rule } from './rule.js';

/** tan a: ∂/∂a = 1 + tan² a. Undefined where cos a = 0. */
export const tan: Rule = {
  arity: 1,
  value: ([a]) => Math.tan(a!),
  partials: (_, value) => [1 + value * value],
  domain: ([a]) => (Math.cos(a!) === 0 ? 'tan of an odd multiple of π/2' : null),
  text: ([a]) => `tan ${atom(a!)}`,
  latex: ([a]) => `\\tan ${atom(a!)}`,
  partialsText: (_, self) => [`1 + ${self}²`],
};
