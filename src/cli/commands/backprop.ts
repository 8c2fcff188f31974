/** `bayesprop backprop`: the assignment's binary MLP, closed-form gradients checked two ways. */
import { Command } from 'commander';
import { backprop, randomParams, validateParams, type BackpropResult } from '../../autodiff/backprop.js';
import { short } from '../../autodiff/trace.js';
import { UsageError } from '../errors.js';
import { readInputFile } from '../io.js';
import { count, seed } from '../parse.js';

interface BackpropOptions {
  params?: string;
  inputs?: string;
  hidden?: string;
  batch?: string;
  seed: string;
  json?: boolean;
}

export function backpropCommand(): Command {
  return new Command('backprop')
    .summary("the assignment's one-hidden-layer binary classifier: shapes, loss and hand-derived gradients, checked")
    .description(
      [
        'ŷ = σ(W₂ σ(W₁x + b₁) + b₂) with the loss L = −(y ln ŷ + (1−y) ln(1−ŷ)). Prints the shapes of every',
        'quantity, ŷ, the loss, and the gradients from the closed-form formulas',
        '  ∂L/∂b₂ = ŷ − y   ∂L/∂W₂ʰ = (ŷ − y) z₁ʰ   ∂L/∂b₁ʰ = (ŷ − y) W₂ʰ z₁ʰ(1 − z₁ʰ)   ∂L/∂W₁ʰʲ = ∂L/∂b₁ʰ xʲ',
        'with the largest difference from reverse-mode autodiff and from central finite differences.',
        'With a batch, the loss and gradients are means over it.',
      ].join('\n'),
    )
    .option('--params <file.json>', 'parameters and data: {"W1": H×M, "b1": H, "W2": H, "b2": number, "x": M (or N×M), "y": 0|1 (or N labels)}')
    .option('--inputs <M>', 'random parameters: input dimension M (default 3)')
    .option('--hidden <H>', 'random parameters: hidden units H (default 4)')
    .option('--batch <N>', 'random parameters: N data points (default 1)')
    .option('--seed <n>', 'seed of the random parameters (and of the finite-difference sample of big nets)', '1')
    .option('--json', 'print one JSON object on stdout')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ bayesprop backprop --inputs 3 --hidden 4 --seed 7',
        '  $ bayesprop backprop --inputs 5 --hidden 8 --batch 32 --json',
        '  $ bayesprop backprop --params params.json',
      ].join('\n'),
    )
    .action((options: BackpropOptions) => {
      runBackprop(options);
    });
}

function loadParams(path: string) {
  const text = readInputFile('--params', path).toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--params: ${JSON.stringify(path)} (not valid JSON: ${(error as Error).message})`);
  }
  return validateParams(raw);
}

function runBackprop(options: BackpropOptions): void {
  const seedValue = seed('--seed', options.seed);
  let params;
  if (options.params !== undefined) {
    for (const flag of ['inputs', 'hidden', 'batch'] as const) {
      if (options[flag] !== undefined) throw new UsageError(`--${flag}: cannot be combined with --params (the file gives the shapes)`);
    }
    params = loadParams(options.params);
  } else {
    const positive = (flag: string, raw: string | undefined, fallback: number, max: number) => {
      const n = raw === undefined ? fallback : count(flag, raw);
      if (n < 1 || n > max) throw new UsageError(`${flag}: ${n} (must be an integer in 1..${max})`);
      return n;
    };
    params = randomParams({
      inputs: positive('--inputs', options.inputs, 3, 10_000),
      hidden: positive('--hidden', options.hidden, 4, 10_000),
      batch: positive('--batch', options.batch, 1, 100_000),
      seed: seedValue,
    });
  }
  const result = backprop(params, { seed: seedValue });
  if (options.json) process.stdout.write(JSON.stringify(result) + '\n');
  else process.stdout.write(formatResult(result));
}

function matrix(rows: number[][]): string[] {
  return rows.map((r) => '[' + r.map((v) => short(v).padStart(11)).join(' ') + ' ]');
}

function formatResult(r: BackpropResult): string {
  const s = r.shapes;
  const lines = ['Shapes [rows, cols]:'];
  lines.push('  ' + (Object.entries(s) as Array<[string, [number, number]]>).map(([k, [a, b]]) => `${k} [${a}, ${b}]`).join('   '));
  lines.push('');
  const yhat = Array.isArray(r.yhat) ? r.yhat : [r.yhat];
  lines.push(`ŷ = ${yhat.length <= 8 ? yhat.map(short).join(' ') : `${yhat.slice(0, 8).map(short).join(' ')} … (${yhat.length})`}`);
  lines.push(`L = ${short(r.loss)}${yhat.length > 1 ? ' (mean over the batch)' : ''}`);
  lines.push('', 'Gradients from the closed-form formulas:');
  const g = r.gradients;
  const show = (name: string, rows: number[][]) => {
    const shown = rows.slice(0, 12);
    const m = matrix(shown.map((row) => row.slice(0, 10)));
    lines.push(`  ∂L/∂${name} =`);
    for (const line of m) lines.push(`    ${line}`);
    if (rows.length > 12 || (rows[0]?.length ?? 0) > 10) lines.push(`    … (${rows.length}×${rows[0]!.length}, full values with --json)`);
  };
  show('W1', g.W1);
  show('b1', g.b1.map((v) => [v]));
  show('W2', [g.W2]);
  lines.push(`  ∂L/∂b2 = ${short(g.b2)}`);
  lines.push('', 'Checks (largest absolute difference from the formulas):');
  lines.push(`  reverse-mode autodiff         ${r.check.autodiff === null ? `not run: ${r.check.autodiffSkipped}` : short(r.check.autodiff)}`);
  lines.push(`  central finite differences    ${short(r.check.finiteDifference)}  (${r.check.finiteDifferenceEntries} entries)`);
  return lines.join('\n') + '\n';
}
