import { atom, type Rule } from './rule.js';

/** √a: ∂/∂a = 1/(2√a). Needs a >= 0; the derivative needs a > 0. */
export const sqrt: Rule = {
  arity: 1,
  value: ([a]) => Math.sqrt(a!),
  partials: (_, value) => [0.5 / value],
  domain: ([a]) => (a! < 0 ? 'sqrt of a negative number' : null),
  partialsDomain: ([a]) => (a === 0 ? 'the derivative of sqrt is infinite at 0' : null),
  text: ([a]) => `sqrt ${atom(a!)}`,
  latex: ([a]) => `\\sqrt{${a}}`,
  partialsText: (_, self) => [`1/(2 ${self})`],
};
