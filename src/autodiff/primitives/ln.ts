import { atom, type Rule } from './rule.js';

/** ln a (natural logarithm; `log` in expressions means the same): ∂/∂a = 1/a. Needs a > 0. */
export const ln: Rule = {
  arity: 1,
  value: ([a]) => Math.log(a!),
  partials: ([a]) => [1 / a!],
  domain: ([a]) => (a! <= 0 ? `ln of ${a === 0 ? 'zero' : 'a negative number'}` : null),
  text: ([a]) => `ln ${atom(a!)}`,
  latex: ([a]) => `\\ln ${atom(a!)}`,
  partialsText: ([a]) => [`1/${atom(a!)}`],
};
