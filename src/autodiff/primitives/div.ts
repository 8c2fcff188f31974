import { atom, type Rule } from './rule.js';

/** a / b: ∂/∂a = 1/b, ∂/∂b = −a/b². Undefined for b = 0. */
export const div: Rule = {
  arity: 2,
  value: ([a, b]) => a! / b!,
  partials: ([, b], value) => [1 / b!, -value / b!],
  domain: ([a, b]) => (b === 0 ? (a === 0 ? 'division 0/0' : 'division by zero') : null),
  text: ([a, b]) => `${atom(a!)} / ${atom(b!)}`,
  latex: ([a, b]) => `\\frac{${a}}{${b}}`,
  partialsText: ([a, b]) => [`1/${atom(b!)}`, `−${atom(a!)}/${atom(b!)}²`],
};
