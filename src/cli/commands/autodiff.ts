/** `bayesprop autodiff`: forward and reverse mode on any expression, with the hand-written trace. */
import { Command, Option } from 'commander';
import { autodiffReport, type AutodiffReport } from '../../autodiff/report.js';
import { graphDot, short, traceLatex, traceTable } from '../../autodiff/trace.js';
import type { Graph } from '../../autodiff/graph.js';
import { renderDot } from '../../plot/graphviz.js';
import { checkOutputPath, writeFileAtomic } from '../io.js';
import { seed } from '../parse.js';
import { ArgumentError } from '../../errors.js';
import { UsageError } from '../errors.js';

type Format = 'table' | 'json' | 'latex' | 'dot' | 'svg';

interface AutodiffOptions {
  at: string;
  mode: 'forward' | 'reverse';
  wrt?: string;
  format: Format;
  json?: boolean;
  check: string[];
  seed: string;
  out?: string;
}

export function autodiffCommand(): Command {
  return new Command('autodiff')
    .summary('forward and reverse mode on any expression, with the step-by-step trace and a derivative checker')
    .description(
      [
        'Builds the computational graph of an expression (v1, v2, … numbered in a left-to-right post-order',
        'walk, shared subexpressions once), evaluates it at a point, and differentiates it: forward mode',
        '(tangents v̇ᵢ = ∂vᵢ/∂wrt) or reverse mode (adjoints v̄ᵢ = ∂f/∂vᵢ). Prints the value, the gradient,',
        'central finite differences, and the trace a student writes by hand.',
        '',
        'Expressions: numbers, variables, + - * / ^ (right-associative, tighter than unary minus: -x^2 = -(x^2)),',
        'parentheses, sin cos tan exp ln log sqrt abs tanh sigmoid relu (log = ln), and the constants pi and e.',
      ].join('\n'),
    )
    .argument('<expression>', 'the function, e.g. "ln(sin(x1)) + x1*exp(x2)"')
    .requiredOption('--at <point>', 'the point: NAME=VALUE pairs, values may be expressions, e.g. "x1=pi/6,x2=1"')
    .addOption(new Option('--mode <mode>', 'forward or reverse').choices(['forward', 'reverse']).default('reverse'))
    .option('--wrt <name>', 'forward mode: the input to differentiate with respect to (default: the first variable)')
    .addOption(new Option('--format <format>', 'output: a text table, JSON, a LaTeX table, or the graph as DOT or SVG').choices(['table', 'json', 'latex', 'dot', 'svg']).default('table'))
    .option('--json', 'the same as --format json')
    .option('--check <claim>', 'check a hand-derived derivative NAME=<expression> at the point and at 24 seeded random points (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--seed <n>', 'seed of the random points of --check', '1')
    .option('--out <file>', 'write the output to this file (atomically) instead of stdout')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ bayesprop autodiff "ln(sin(x1)) + x1*exp(x2)" --at "x1=pi/6,x2=1" --mode forward',
        '  $ bayesprop autodiff "ln(sin(x1)) + x1*exp(x2)" --at "x1=pi/6,x2=1" --check "x1=cos(x1)/sin(x1) + exp(x2)"',
        '  $ bayesprop autodiff "x^2 * sin(x)" --at "x=1" --format svg --out graph.svg',
        '',
        'Exit codes: 0 done; 1 a --check disagrees; 2 bad input (parse error, unknown function, missing value,',
        'a point outside the domain).',
      ].join('\n'),
    )
    .action(async (expression: string, options: AutodiffOptions) => {
      process.exitCode = await runAutodiff(expression, options);
    });
}

async function runAutodiff(expression: string, options: AutodiffOptions): Promise<number> {
  const format: Format = options.json ? 'json' : options.format;
  const seedValue = seed('--seed', options.seed);
  const out = options.out === undefined ? undefined : checkOutputPath('--out', options.out);
  let report: ReturnType<typeof autodiffReport>;
  try {
    report = autodiffReport({
      expression,
      at: options.at,
      mode: options.mode,
      ...(options.wrt === undefined ? {} : { wrt: options.wrt }),
      checks: options.check,
      seed: seedValue,
    });
  } catch (error) {
    // The library names its arguments (at, wrt, check); here they are flags.
    if (error instanceof ArgumentError && ['at', 'wrt', 'check'].includes(error.argument)) throw new UsageError(`--${error.message}`);
    throw error;
  }
  const { graph, ...data } = report;
  let text: string;
  switch (format) {
    case 'json':
      text = JSON.stringify(data) + '\n';
      break;
    case 'latex':
      text = traceLatex(graph, report.trace, report.mode, report.wrt ?? undefined) + '\n';
      break;
    case 'dot':
      text = graphDot(graph, report.trace, report.mode) + '\n';
      break;
    case 'svg':
      text = await renderDot(graphDot(graph, report.trace, report.mode));
      break;
    default:
      text = formatReport(data, graph);
  }
  if (out !== undefined) writeFileAtomic(out, text);
  else process.stdout.write(text);
  if (format === 'table' && out !== undefined) process.stdout.write(`wrote ${out}\n`);
  return report.checks.every((c) => c.agrees) ? 0 : 1;
}

function formatReport(r: AutodiffReport, graph: Graph): string {
  const names = graph.variables;
  const at = names.map((n) => `${n} = ${short(r.point[n]!)}`).join(', ');
  const lines = [`f(${names.join(', ')}) = ${r.expression}`, `at ${at || '(no variables)'}`, ''];
  lines.push(`  value               f = ${short(r.value)}`);
  lines.push(`  gradient            ${names.map((n) => `∂f/∂${n} = ${short(r.gradient[n]!)}`).join('   ') || '(none)'}`);
  lines.push(
    `  finite differences  ${names.map((n) => `∂f/∂${n} ≈ ${r.finiteDifference[n] === null ? 'undefined' : short(r.finiteDifference[n]!)}`).join('   ') || '(none)'}  (central)`,
  );
  lines.push('');
  lines.push(r.mode === 'forward' ? `Forward mode: tangents v̇ᵢ = ∂vᵢ/∂${r.wrt}` : 'Reverse mode: adjoints v̄ᵢ = ∂f/∂vᵢ');
  lines.push(traceTable(r.trace, r.mode));
  if (r.checks.length > 0) {
    lines.push('', 'Checks of claimed derivatives:');
    for (const c of r.checks) {
      const where = Object.entries(c.worstPoint)
        .map(([k, v]) => `${k} = ${short(v)}`)
        .join(', ');
      if (c.agrees) lines.push(`  ∂f/∂${c.wrt} = ${c.claimed}: agrees at ${c.points} points (worst relative error ${short(c.relativeError)})`);
      else
        lines.push(
          `  ∂f/∂${c.wrt} = ${c.claimed}: DISAGREES — worst at ${where}: relative error ${short(c.relativeError)}${c.undefinedAt > 0 ? `; undefined at ${c.undefinedAt} points where f is defined` : ''} (${c.points} points)`,
        );
    }
  }
  return lines.join('\n') + '\n';
}

