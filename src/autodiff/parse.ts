/**
 * The expression language: numbers, variables (letters, digits, `_`, starting with a letter or
 * `_`), `+ - * / ^`, unary minus, parentheses, the functions sin cos tan exp ln log sqrt abs tanh
 * sigmoid relu (`log` is the natural logarithm, as in NumPy and PyTorch), and the constants `pi`
 * and `e`. `^` is right-associative and binds tighter than unary minus: -x^2 = -(x^2),
 * 2^3^2 = 2^9, and 2^-1 = 0.5.
 *
 *   expr   := term (('+' | '-') term)*
 *   term   := unary (('*' | '/') unary)*
 *   unary  := '-' unary | '+' unary | power
 *   power  := atom ('^' unary)?
 *   atom   := number | constant | variable | function '(' expr ')' | '(' expr ')'
 *
 * Example: `parse('ln(sin(x1)) + x1*exp(x2)')` → the assignment's graph v1..v7.
 */
import { GraphBuilder, type Graph, type Operand } from './graph.js';
import { FUNCTIONS } from './primitives/index.js';

/** A syntax error, with the 1-based column where it was found. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    readonly source: string,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`column ${column}: ${reason}`);
  }

  /** The source with a caret under the column, for a terminal. */
  caret(indent = '  '): string {
    return `${indent}${this.source}\n${indent}${' '.repeat(Math.max(0, this.column - 1))}^`;
  }
}

type Token =
  | { kind: 'number'; value: number; text: string; column: number }
  | { kind: 'name'; text: string; column: number }
  | { kind: 'op'; text: '+' | '-' | '*' | '/' | '^' | '(' | ')'; column: number }
  | { kind: 'end'; column: number };

const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const column = i + 1;
    const number = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(source.slice(i));
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), text: number[0], column });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (name) {
      tokens.push({ kind: 'name', text: name[0], column });
      i += name[0].length;
      continue;
    }
    if ('+-*/^()'.includes(ch)) {
      tokens.push({ kind: 'op', text: ch as '+', column });
      i++;
      continue;
    }
    if (ch === '−') {
      tokens.push({ kind: 'op', text: '-', column }); // the Unicode minus of pasted maths
      i++;
      continue;
    }
    throw new ParseError(source, column, `unexpected character ${JSON.stringify(ch)}`);
  }
  tokens.push({ kind: 'end', column: source.length + 1 });
  return tokens;
}

/** Parses `source` into operands of `builder` (so several expressions can share one graph). */
export function parseInto(builder: GraphBuilder, source: string): Operand {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const describe = (t: Token) => (t.kind === 'end' ? 'the end' : `'${t.kind === 'number' ? t.text : t.text}'`);
  const isOp = (t: Token, ...ops: string[]) => t.kind === 'op' && ops.includes(t.text);
  const fail = (t: Token, reason: string): never => {
    throw new ParseError(source, t.column, reason);
  };

  function expr(): Operand {
    let left = term();
    while (isOp(peek(), '+', '-')) {
      const op = (tokens[pos++] as { text: string }).text;
      const right = term();
      left = builder.apply(op === '+' ? 'add' : 'sub', left, right);
    }
    return left;
  }

  function term(): Operand {
    let left = unary();
    while (isOp(peek(), '*', '/')) {
      const op = (tokens[pos++] as { text: string }).text;
      const right = unary();
      left = builder.apply(op === '*' ? 'mul' : 'div', left, right);
    }
    return left;
  }

  function unary(): Operand {
    if (isOp(peek(), '-')) {
      pos++;
      return builder.apply('neg', unary());
    }
    if (isOp(peek(), '+')) {
      pos++;
      return unary();
    }
    return power();
  }

  function power(): Operand {
    const base = atom();
    if (isOp(peek(), '^')) {
      pos++;
      return builder.apply('pow', base, unary());
    }
    return base;
  }

  function atom(): Operand {
    const t = peek();
    if (t.kind === 'number') {
      pos++;
      return builder.constant(t.value, t.text);
    }
    if (t.kind === 'name') {
      pos++;
      const fn = FUNCTIONS[t.text];
      const followedByParen = isOp(peek(), '(');
      if (followedByParen) {
        if (!fn) return fail(t, `unknown function '${t.text}' (known: ${Object.keys(FUNCTIONS).join(', ')})`);
        pos++;
        const argument = expr();
        if (!isOp(peek(), ')')) fail(peek(), `expected ')' to close ${t.text}(, found ${describe(peek())}`);
        pos++;
        return builder.apply(fn, argument);
      }
      if (fn) return fail(t, `${t.text} is a function: write ${t.text}(...)`);
      if (t.text in CONSTANTS) return builder.constant(CONSTANTS[t.text]!, t.text === 'pi' ? 'π' : 'e');
      return builder.variable(t.text);
    }
    if (isOp(t, '(')) {
      pos++;
      const inner = expr();
      if (!isOp(peek(), ')')) fail(peek(), `expected ')', found ${describe(peek())}`);
      pos++;
      return inner;
    }
    return fail(t, `expected a number, a variable, a function or '(', found ${describe(t)}`);
  }

  if (peek().kind === 'end') fail(peek(), 'the expression is empty');
  const result = expr();
  const rest = peek();
  if (rest.kind !== 'end') {
    const hint = rest.kind === 'name' || rest.kind === 'number' || isOp(rest, '(') ? ' (write * for multiplication)' : '';
    fail(rest, `expected an operator or the end, found ${describe(rest)}${hint}`);
  }
  return result;
}

/** Parses an expression into its computational graph. */
export function parse(source: string): Graph {
  const builder = new GraphBuilder();
  return builder.finish(parseInto(builder, source));
}
