import { type Rule } from './rule.js';

/** relu a = max(0, a): ∂/∂a = 1 for a > 0, else 0 (0 at a = 0, as PyTorch and JAX). */
export const relu: Rule = {
  arity: 1,
  value: ([a]) => (a! > 0 ? a! : 0),
  partials: ([a]) => [a! > 0 ? 1 : 0],
  text: ([a]) => `relu(${a})`,
  latex: ([a]) => `\\operatorname{relu}(${a})`,
  partialsText: ([a]) => [`[${a} > 0]`],
};
