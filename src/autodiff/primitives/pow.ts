import { atom, type Rule } from './rule.js';

/**
 * a ^ b: ∂/∂a = b·a^(b−1), ∂/∂b = a^b·ln a. Undefined for a < 0 with a non-integer b and for
 * a = 0 with b < 0; ∂/∂b needs a > 0 (or a = 0 with b > 0, where it is 0), which the graph asks
 * for only when the exponent depends on a variable.
 */
export const pow: Rule = {
  arity: 2,
  value: ([a, b]) => a! ** b!,
  partials: ([a, b], value) => [b === 0 ? 0 : b! * a! ** (b! - 1), a === 0 ? 0 : value * Math.log(a!)],
  domain: ([a, b]) => {
    if (a! < 0 && !Number.isInteger(b)) return 'negative base with a non-integer exponent';
    if (a === 0 && b! < 0) return 'zero to a negative power';
    return null;
  },
  partialsDomain: ([a, b], live) => {
    if (live[0] && a === 0 && b! > 0 && b! < 1) return 'd/da a^b is infinite at a = 0 for 0 < b < 1';
    if (live[1] && a! < 0) return 'd/db a^b = a^b ln a needs a > 0';
    return null;
  },
  text: ([a, b]) => `${atom(a!)}^${atom(b!)}`,
  latex: ([a, b]) => `${atom(a!)}^{${b}}`,
  partialsText: ([a, b], self) => [`${atom(b!)} · ${atom(a!)}^(${b} − 1)`, `${self} · ln ${atom(a!)}`],
};
