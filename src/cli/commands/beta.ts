/** `bayesprop beta`: Beta-Binomial inference next to the MLE, as a table, JSON and plots. */
import { Command } from 'commander';
import { betaSummary, type BetaSummary } from '../../bayes/summary.js';
import { validateData } from '../../bayes/model.js';
import { intervalCoverage, simulateAsymptotics, type AsymptoticsRow, type Coverage } from '../../bayes/simulate.js';
import { Random } from '../../math/random.js';
import { asymptoticsSpec, betaShapesSpec, fmt, posteriorPlotSpec, posteriorSequenceSpec } from '../../plot/beta.js';
import { renderSvg } from '../../plot/render.js';
import { UsageError } from '../errors.js';
import { checkOutputPath, writeFileAtomic } from '../io.js';
import { count, openUnit, positiveNumber, seed } from '../parse.js';

interface BetaOptions {
  alpha: string;
  beta: string;
  heads?: string;
  trials?: string;
  level: string;
  predict?: string;
  json?: boolean;
  plot?: string;
  shapes?: string;
  sequence?: string;
  seed: string;
  simulate?: string;
  replications: string;
  asymptotics?: string;
}

/** The n at which the simulation reports the estimates, and those at which it measures coverage. */
const SIMULATION_NS = [1, 3, 10, 30, 100, 300, 1000, 3000, 10_000, 100_000, 1_000_000];
const COVERAGE_NS = [10, 100, 1000];

interface Simulation {
  theta: number;
  seed: number;
  asymptotics: AsymptoticsRow[];
  coverage: Coverage[];
}

export function betaCommand(): Command {
  return new Command('beta')
    .summary('Beta-Binomial inference for a coin: posterior, estimates, intervals, evidence, plots')
    .description(
      [
        'A coin with unknown heads probability θ is flipped N times (--trials) and shows Y heads (--heads).',
        'With the prior θ ~ Beta(α, β) the posterior is Beta(α + Y, β + N − Y) (conjugacy). Prints the',
        'frequentist MLE Y/N next to the posterior mean, mode (MAP) and variance, an equal-tailed interval',
        'and the highest-density interval (HDI), the log evidence ln p(Y | N), the Bayes factor against a',
        'fair coin, the shrinkage of the mean toward the prior, and the MAP as the minimiser of the',
        'regularised loss (y − Nθ)²/(2N) − (α−1)θ + (α+β−2)θ²/2.',
      ].join('\n'),
    )
    .option('--alpha <α>', 'prior pseudo-count of heads, a finite number > 0 (Beta(1,1) is uniform)', '1')
    .option('--beta <β>', 'prior pseudo-count of tails, a finite number > 0', '1')
    .option('--heads <Y>', 'observed heads, an integer 0..trials (required)')
    .option('--trials <N>', 'observed flips, an integer >= 0 (required)')
    .option('--level <L>', 'credible level of the intervals, in (0, 1)', '0.95')
    .option('--predict <M>', 'also give the posterior predictive pmf of heads in M future flips')
    .option('--json', 'print one JSON object on stdout instead of the table')
    .option('--plot <file.svg>', 'write prior, normalised likelihood and posterior, estimates marked, interval shaded')
    .option('--shapes <file.svg>', 'write the Beta family: (1,1) (0.5,0.5) (2,2) (2,5) (5,2) (20,20)')
    .option('--sequence <file.svg>', 'write the posterior after each of a growing number of the flips')
    .option('--seed <n>', 'seed of the random order of --sequence and of --simulate', '1')
    .option('--simulate <θ>', 'also simulate a coin with this heads probability: estimates as n grows to 1e6, and the frequentist coverage of the interval at n = 10, 100, 1000')
    .option('--replications <R>', 'simulated data sets per coverage estimate', '2000')
    .option('--asymptotics <file.svg>', 'write the simulated estimates against n (needs --simulate)')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ bayesprop beta --alpha 2 --beta 2 --heads 7 --trials 10',
        '  $ bayesprop beta --alpha 2 --beta 2 --heads 7 --trials 10 --predict 5 --json',
        '  $ bayesprop beta --alpha 20 --beta 20 --heads 9 --trials 10 --plot posterior.svg --sequence seq.svg',
        '  $ bayesprop beta --alpha 2 --beta 2 --heads 7 --trials 10 --simulate 0.3 --asymptotics estimates.svg',
        '',
        'Bad input (α ≤ 0, heads > trials, level outside (0, 1), a missing folder) prints one line and exits 2.',
      ].join('\n'),
    )
    .action(async (options: BetaOptions) => {
      await runBeta(options);
    });
}

async function runBeta(options: BetaOptions): Promise<void> {
  // Validate everything before computing or writing anything.
  const alpha = positiveNumber('--alpha', options.alpha);
  const beta = positiveNumber('--beta', options.beta);
  if (options.heads === undefined) throw new UsageError('--heads: missing (required: the number of heads observed)');
  if (options.trials === undefined) throw new UsageError('--trials: missing (required: the number of flips)');
  const heads = count('--heads', options.heads);
  const trials = count('--trials', options.trials);
  if (heads > trials) throw new UsageError(`--heads: ${heads} (must be at most --trials = ${trials})`);
  validateData(heads, trials);
  const level = openUnit('--level', options.level);
  const predict = options.predict === undefined ? undefined : count('--predict', options.predict);
  if (predict !== undefined && predict > 1_000_000) throw new UsageError(`--predict: ${predict} (must be at most 1000000)`);
  const sequenceSeed = seed('--seed', options.seed);
  let theta: number | undefined;
  if (options.simulate !== undefined) {
    const t = Number(options.simulate.trim());
    if (options.simulate.trim() === '' || !(t >= 0 && t <= 1)) throw new UsageError(`--simulate: ${JSON.stringify(options.simulate)} (must be a probability in [0, 1])`);
    theta = t;
  }
  const replications = count('--replications', options.replications);
  if (replications < 1 || replications > 1_000_000) throw new UsageError(`--replications: ${replications} (must be an integer in 1..1000000)`);
  if (options.asymptotics !== undefined && theta === undefined) throw new UsageError('--asymptotics: needs --simulate <θ> (the coin to simulate)');
  const outputs: Array<{ path: string; make: () => Promise<string> }> = [];
  if (options.plot !== undefined) {
    const path = checkOutputPath('--plot', options.plot);
    outputs.push({ path, make: () => renderSvg(posteriorPlotSpec({ alpha, beta, heads, trials, level })) });
  }
  if (options.shapes !== undefined) {
    const path = checkOutputPath('--shapes', options.shapes);
    outputs.push({ path, make: () => renderSvg(betaShapesSpec()) });
  }
  if (options.sequence !== undefined) {
    const path = checkOutputPath('--sequence', options.sequence);
    outputs.push({ path, make: () => renderSvg(posteriorSequenceSpec({ alpha, beta, heads, trials, level, seed: sequenceSeed })) });
  }
  const summary: BetaSummary & { simulation?: Simulation } = betaSummary({ alpha, beta, heads, trials, level, ...(predict === undefined ? {} : { predict }) });
  if (theta !== undefined) {
    const rng = new Random(sequenceSeed);
    const asymptotics = simulateAsymptotics({ theta, alpha, beta, ns: SIMULATION_NS, rng });
    const coverage = COVERAGE_NS.map((n) => intervalCoverage({ theta: theta!, alpha, beta, trials: n, level, replications, rng }));
    summary.simulation = { theta, seed: sequenceSeed, asymptotics, coverage };
    if (options.asymptotics !== undefined) {
      const path = checkOutputPath('--asymptotics', options.asymptotics);
      outputs.push({ path, make: () => renderSvg(asymptoticsSpec({ theta: theta!, alpha, beta, rows: asymptotics })) });
    }
  }
  // Render every file first, then write them; a failure leaves no file behind.
  const rendered = await Promise.all(outputs.map(async (o) => ({ path: o.path, svg: await o.make() })));
  for (const file of rendered) writeFileAtomic(file.path, file.svg);
  if (options.json) process.stdout.write(JSON.stringify(summary) + '\n');
  else process.stdout.write(formatTable(summary, rendered.map((f) => f.path)));
}

function num(x: number | null): string {
  if (x === null) return 'none';
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-4)) return x.toExponential(5);
  return String(Number(x.toPrecision(6)));
}

function formatTable(s: BetaSummary & { simulation?: Simulation }, files: string[]): string {
  const pct = `${fmt(100 * s.posterior.level)}%`;
  const rows: Array<[string, string, string]> = [
    ['', 'prior', 'posterior'],
    ['alpha, beta', `${num(s.prior.alpha)}, ${num(s.prior.beta)}`, `${num(s.posterior.alpha)}, ${num(s.posterior.beta)}`],
    ['mean', num(s.prior.mean), num(s.posterior.mean)],
    ['mode (MAP)', num(s.prior.mode), num(s.posterior.mode)],
    ['variance', num(s.prior.variance), num(s.posterior.variance)],
    [`${pct} interval`, '', `[${num(s.posterior.interval[0])}, ${num(s.posterior.interval[1])}]  equal-tailed`],
    [`${pct} HDI`, '', `[${num(s.posterior.hdi[0])}, ${num(s.posterior.hdi[1])}]  highest density`],
  ];
  if (s.posterior.hdr.length > 1) rows.push([`${pct} HD region`, '', s.posterior.hdr.map(([a, b]) => `[${num(a)}, ${num(b)}]`).join(' ∪ ')]);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const lines = [
    `Beta-Binomial: prior Beta(${num(s.prior.alpha)}, ${num(s.prior.beta)}), data ${s.data.heads} heads in ${s.data.trials} flips`,
    '',
    ...rows.map(([a, b, c]) => `  ${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`.trimEnd()),
    '',
  ];
  const sh = s.shrinkage;
  const facts: Array<[string, string]> = [
    ['MLE Y/N', s.mle === null ? 'none (no flips yet)' : num(s.mle)],
    [
      'shrinkage',
      s.mle === null
        ? 'posterior mean = prior mean (no data)'
        : `posterior mean = ${num(sh.priorWeight)} × prior mean + ${num(sh.dataWeight)} × MLE`,
    ],
    ['prior as pseudo-counts', `${num(s.pseudoCounts.heads)} heads + ${num(s.pseudoCounts.tails)} tails (${num(s.pseudoCounts.total)} flips' worth)`],
    ['log evidence ln p(Y|N)', num(s.logMarginalLikelihood)],
    ['Bayes factor vs θ = 1/2', `${num(s.bayesFactorFair)}  (ln ${num(s.logBayesFactorFair)}; > 1 favours the Beta prior)`],
    [
      'MAP as regularised loss',
      `argmin ${num(s.mapLoss.argmin)} with a = ${num(s.mapLoss.a)}, b = ${num(s.mapLoss.b)}: ${
        s.mapLoss.agrees ? 'equals the MAP' : s.posterior.mode === null ? 'no MAP to compare' : 'differs from the MAP'
      }`,
    ],
  ];
  if (s.predictive) {
    const shown = s.predictive.pmf.slice(0, 11).map((p) => num(p)).join(' ');
    facts.push([`predictive, ${s.predictive.trials} flips`, `P(k heads), k = 0..: ${shown}${s.predictive.pmf.length > 11 ? ' …' : ''}`]);
  }
  const wf = Math.max(...facts.map((f) => f[0].length));
  lines.push(...facts.map(([k, v]) => `  ${k.padEnd(wf)}  ${v}`));
  if (s.simulation) {
    const sim = s.simulation;
    lines.push('', `Simulated coin, θ = ${num(sim.theta)} (seed ${sim.seed}): estimates after the first n flips`, '');
    const header = ['n', 'heads', 'MLE', 'posterior mean', 'MAP', 'posterior sd'];
    const table = sim.asymptotics.map((r) => [String(r.n), String(r.heads), num(r.mle), num(r.posteriorMean), num(r.map), num(r.posteriorSd)]);
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
    lines.push('  ' + header.map((h, i) => h.padStart(widths[i]!)).join('  '));
    for (const row of table) lines.push('  ' + row.map((c, i) => c.padStart(widths[i]!)).join('  '));
    lines.push('', `Coverage of the ${pct} equal-tailed interval (fraction of simulated data sets containing θ):`, '');
    for (const c of sim.coverage) lines.push(`  n = ${String(c.trials).padEnd(5)} ${num(c.coverage)} ± ${num(c.standardError)}  (${c.replications} data sets)`);
  }
  for (const f of files) lines.push(`  wrote ${f}`);
  return lines.join('\n') + '\n';
}
