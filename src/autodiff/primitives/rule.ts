/**
 * What every scalar primitive provides, written once and read by forward mode, reverse mode,
 * the traces and the checker: its value, its local partial derivatives, where it is defined,
 * and how a student would write it (plain text and LaTeX), including its partials.
 */
export type PrimitiveName =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'neg'
  | 'pow'
  | 'sin'
  | 'cos'
  | 'tan'
  | 'exp'
  | 'ln'
  | 'sqrt'
  | 'abs'
  | 'tanh'
  | 'sigmoid'
  | 'relu';

export interface Rule {
  arity: 1 | 2;
  /** The value at the given arguments. */
  value(args: readonly number[]): number;
  /** ∂value/∂argᵢ for each argument, given the arguments and the value already computed. */
  partials(args: readonly number[], value: number): number[];
  /** Why the value is undefined at these arguments, or null where it is defined. */
  domain?(args: readonly number[]): string | null;
  /**
   * Why a partial is undefined (or infinite) at these arguments, or null. `live[i]` says whether
   * operand i depends on a variable (only those partials are ever used).
   */
  partialsDomain?(args: readonly number[], live: readonly boolean[]): string | null;
  /** The definition as text, from the operands' names: `v1 · v5`, `sin v1`. */
  text(operands: readonly string[]): string;
  /** The definition in LaTeX. */
  latex(operands: readonly string[]): string;
  /** Each local partial as text, from the operands' names and the node's own name. */
  partialsText(operands: readonly string[], self: string): string[];
}

/** Wraps an operand name in parentheses when it is a negative number, for juxtaposition. */
export function atom(operand: string): string {
  return operand.startsWith('-') || operand.startsWith('−') ? `(${operand})` : operand;
}
