/**
 * Accuracy and throughput of the Beta quantile (inverse regularised incomplete beta): bayesprop
 * against jStat and @stdlib, in one process, on the 50-digit reference values of
 * test/fixtures/beta-goldens.json (made by scripts/goldens/beta_goldens.py with mpmath).
 *
 * Run: npm run accuracy            (prints the tables)
 *      npm run accuracy -- --write (also rewrites docs/accuracy.md)
 */
import { createRequire } from 'node:module';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { betaIncInv } from '../src/math/incbeta.js';

const require = createRequire(import.meta.url);
const jStat = require('jstat') as { ibetainv: (p: number, a: number, b: number) => number };
const stdlibBetaincinv = require('@stdlib/math-base-special-betaincinv') as (p: number, a: number, b: number, upper?: boolean) => number;
const goldens = JSON.parse(readFileSync(new URL('../test/fixtures/beta-goldens.json', import.meta.url), 'utf8')) as {
  quantile: Array<{ a: number; b: number; p: number; x: number }>;
};

type Impl = { name: string; quantile: (p: number, a: number, b: number) => number };
const impls: Impl[] = [
  // For p > ½ each library gets its most accurate call: we and stdlib take the upper tail 1 − p.
  { name: 'bayesprop', quantile: (p, a, b) => (p > 0.5 ? betaIncInv(a, b, p, 1 - p) : betaIncInv(a, b, p)) },
  { name: 'jStat 1.9', quantile: (p, a, b) => jStat.ibetainv(p, a, b) },
  { name: '@stdlib 0.2', quantile: (p, a, b) => (p > 0.5 ? stdlibBetaincinv(1 - p, a, b, true) : stdlibBetaincinv(p, a, b)) },
];

function relError(got: number, want: number): number {
  if (!Number.isFinite(got)) return Infinity;
  return Math.abs(got - want) / Math.abs(want);
}

function fmtErr(e: number): string {
  if (e === 0) return '0';
  if (!Number.isFinite(e)) return 'fail';
  return e.toExponential(1);
}

const isHard = (r: { a: number; b: number; p: number }) =>
  Math.min(r.a, r.b) <= 0.01 || Math.max(r.a, r.b) >= 1e5 || r.p <= 1e-4 || r.p >= 1 - 1e-4;

// 1. Selected hard points, one row each.
const showcase: Array<[number, number, number]> = [
  [1e-3, 1e-3, 0.05],
  [1e-3, 1e-3, 0.95],
  [1e-3, 1, 0.5],
  [0.01, 1e7, 0.5],
  [1e-3, 1e7, 0.9999],
  [0.5, 1e5, 1e-10],
  [2, 1e7, 0.95],
  [1e6 + 1, 1e6 + 1, 1e-10],
  [1e6 + 1, 1e6 + 1, 0.05],
  [1e7, 1e7, 1e-4],
  [1e7, 0.1, 1e-10],
  [1e5, 1e3, 0.9999999999],
  [50, 0.01, 0.05],
  [0.1, 0.1, 1e-10],
];
const lookup = new Map(goldens.quantile.map((r) => [`${r.a},${r.b},${r.p}`, r]));
const lines: string[] = [];
lines.push('| a | b | p | reference x | ' + impls.map((i) => `${i.name} rel. error`).join(' | ') + ' |');
lines.push('|---|---|---|---|' + impls.map(() => '---').join('|') + '|');
for (const [a, b, p] of showcase) {
  const r = lookup.get(`${a},${b},${p}`);
  if (!r) continue;
  const errs = impls.map((i) => fmtErr(relError(i.quantile(p, a, b), r.x)));
  lines.push(`| ${a} | ${b} | ${p} | ${r.x.toPrecision(10)} | ${errs.join(' | ')} |`);
}

// 2. Summary over all reference points and over the hard ones.
function summary(rows: typeof goldens.quantile): string[] {
  const out: string[] = [];
  for (const impl of impls) {
    const errs = rows.map((r) => relError(impl.quantile(r.p, r.a, r.b), r.x)).sort((x, y) => x - y);
    const worst = errs[errs.length - 1]!;
    const median = errs[Math.floor(errs.length / 2)]!;
    const over = (t: number) => errs.filter((e) => !(e <= t)).length;
    out.push(`| ${impl.name} | ${fmtErr(median)} | ${fmtErr(worst)} | ${over(1e-10)} | ${over(1e-6)} |`);
  }
  return out;
}
const hard = goldens.quantile.filter(isHard);
const summaryLines = [
  `| library | median rel. error | worst rel. error | points > 1e-10 | points > 1e-6 |`,
  `|---|---|---|---|---|`,
];

// 3. Throughput: quantile calls per second on moderate and on hard points.
function throughput(impl: Impl, rows: Array<{ a: number; b: number; p: number }>, seconds = 1): number {
  let calls = 0;
  let sink = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (const r of rows) sink += impl.quantile(r.p, r.a, r.b) || 0;
    calls += rows.length;
  }
  if (sink === 42) console.log('');
  return calls / ((performance.now() - start) / 1000);
}
const moderate = goldens.quantile.filter((r) => !isHard(r));

const out: string[] = [];
out.push('# Beta quantile accuracy: bayesprop, jStat, @stdlib');
out.push('');
out.push('Made by `npm run accuracy -- --write` (scripts/quantile-accuracy.ts) in one Node process;');
out.push('the reference values are 50-digit mpmath results (scripts/goldens/beta_goldens.py), so the');
out.push('errors are of each library, not of the reference. Relative error |x − x_ref| / x_ref; "fail"');
out.push('means NaN or an exception.');
out.push('');
out.push('## Hard points');
out.push('');
out.push(...lines);
out.push('');
out.push(`## All ${goldens.quantile.length} reference points (a, b from 1e-3 to 1e7, p from 1e-10 to 1 − 1e-10)`);
out.push('');
out.push(...summaryLines, ...summary(goldens.quantile));
out.push('');
out.push(`## The ${hard.length} hard points among them (a or b ≤ 0.01 or ≥ 1e5, or p ≤ 1e-4 or ≥ 1 − 1e-4)`);
out.push('');
out.push(...summaryLines, ...summary(hard));
out.push('');
out.push('## Throughput (quantile calls per second, this machine, one thread)');
out.push('');
out.push('| library | moderate points | hard points |');
out.push('|---|---|---|');
for (const impl of impls) {
  const m = throughput(impl, moderate);
  const h = throughput(impl, hard);
  out.push(`| ${impl.name} | ${Math.round(m).toLocaleString('en-US')} | ${Math.round(h).toLocaleString('en-US')} |`);
}
out.push('');
out.push(`Measured with Node ${process.version} on ${new Date().toISOString().slice(0, 10)}.`);
const text = out.join('\n') + '\n';
process.stdout.write(text);
if (process.argv.includes('--write')) {
  const target = fileURLToPath(new URL('../docs/accuracy.md', import.meta.url));
  writeFileSync(target + '.tmp', text);
  renameSync(target + '.tmp', target);
}
