/** The rule table: one entry per primitive; a missing rule is a compile error. */
import { abs } from './abs.js';
import { add } from './add.js';
import { cos } from './cos.js';
import { div } from './div.js';
import { exp } from './exp.js';
import { ln } from './ln.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { pow } from './pow.js';
import { relu } from './relu.js';
import type { PrimitiveName, Rule } from './rule.js';
import { sigmoid } from './sigmoid.js';
import { sin } from './sin.js';
import { sqrt } from './sqrt.js';
import { sub } from './sub.js';
import { tan } from './tan.js';
import { tanh } from './tanh.js';

export const RULES: Readonly<Record<PrimitiveName, Rule>> = {
  add, sub, mul, div, neg, pow, sin, cos, tan, exp, ln, sqrt, abs, tanh, sigmoid, relu,
};

/** The functions the expression language knows, by the name written in an expression. */
export const FUNCTIONS: Readonly<Record<string, PrimitiveName>> = {
  sin: 'sin', cos: 'cos', tan: 'tan', exp: 'exp', ln: 'ln', log: 'ln', sqrt: 'sqrt', abs: 'abs',
  tanh: 'tanh', sigmoid: 'sigmoid', relu: 'relu',
};

export type { PrimitiveName, Rule } from './rule.js';
