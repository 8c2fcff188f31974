/**
 * Vega-Lite specs for part 1: prior, likelihood and posterior; the Beta family's shapes; and the
 * posterior as flips arrive. Specs are plain JSON (data inline), so the CLI renders them to SVG,
 * the web app renders the same spec interactively and the report inlines the SVG.
 */
import { Beta } from '../bayes/beta.js';
import { BetaBinomial, validateData } from '../bayes/model.js';
import { requireOpenUnit } from '../errors.js';
import { Random } from '../math/random.js';

/** A Vega-Lite specification (kept loose: the library does not depend on vega-lite's types). */
export type VegaLiteSpec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDTH = 560;
const HEIGHT = 300;

/** θ values in (0, 1): an even grid, plus a fine grid over [lo, hi] where the mass is. */
function thetaGrid(lo: number, hi: number, coarse = 400, fine = 600): number[] {
  const points = new Set<number>();
  for (let i = 0; i < coarse; i++) points.add((i + 0.5) / coarse);
  if (hi > lo) for (let i = 0; i <= fine; i++) points.add(lo + ((hi - lo) * i) / fine);
  return [...points].filter((t) => t > 0 && t < 1).sort((a, b) => a - b);
}

/** The x range to show: where 99.9% of each distribution lies, padded; all of [0, 1] if wide. */
function focusRange(dists: Beta[]): [number, number] {
  let lo = 1;
  let hi = 0;
  for (const d of dists) {
    lo = Math.min(lo, d.quantile(0.0005));
    hi = Math.max(hi, d.isf(0.0005));
  }
  const pad = 0.3 * (hi - lo);
  lo = Math.max(0, lo - pad);
  hi = Math.min(1, hi + pad);
  return hi - lo > 0.5 ? [0, 1] : [lo, hi];
}

/** A y cap that keeps infinite densities at 0 or 1 from flattening the picture. */
function densityCap(dists: Beta[]): number {
  let cap = 0;
  for (const d of dists) {
    const mode = d.mode;
    if (d.shape === 'unimodal' && mode !== null) cap = Math.max(cap, d.pdf(mode));
    else cap = Math.max(cap, d.pdf(d.quantile(0.05)), d.pdf(d.isf(0.05)), d.pdf(0.5));
  }
  return Number.isFinite(cap) && cap > 0 ? cap * 1.15 : 10;
}

export interface PosteriorPlotInput {
  alpha: number;
  beta: number;
  heads: number;
  trials: number;
  level?: number;
}

/**
 * Prior, normalised likelihood (the density Beta(y+1, N−y+1)) and posterior, with the MLE, MAP
 * and posterior mean marked and the equal-tailed interval shaded.
 */
export function posteriorPlotSpec(input: PosteriorPlotInput): VegaLiteSpec {
  const level = requireOpenUnit('level', input.level ?? 0.95);
  const model = BetaBinomial.fromPrior(input.alpha, input.beta).observe(input.heads, input.trials);
  const { prior, posterior } = model;
  const likelihood = new Beta(input.heads + 1, input.trials - input.heads + 1);
  const focus = focusRange(input.trials > 0 ? [posterior, likelihood] : [posterior]);
  const cap = densityCap(input.trials > 0 ? [posterior, likelihood] : [posterior, prior]);
  const [lo, hi] = posterior.interval(level);
  const hdi = posterior.hdi(level);
  const grid = thetaGrid(focus[0], focus[1]).filter((t) => t >= focus[0] && t <= focus[1]);
  const curves: Array<{ theta: number; density: number; curve: string }> = [];
  const priorLabel = `prior Beta(${fmt(prior.alpha)}, ${fmt(prior.beta)})`;
  const likelihoodLabel = `likelihood (normalised), ${input.heads}/${input.trials} heads`;
  const posteriorLabel = `posterior Beta(${fmt(posterior.alpha)}, ${fmt(posterior.beta)})`;
  for (const theta of grid) {
    curves.push({ theta, density: Math.min(prior.pdf(theta), cap * 2), curve: priorLabel });
    if (input.trials > 0) curves.push({ theta, density: Math.min(likelihood.pdf(theta), cap * 2), curve: likelihoodLabel });
    curves.push({ theta, density: Math.min(posterior.pdf(theta), cap * 2), curve: posteriorLabel });
  }
  const curveNames = input.trials > 0 ? [priorLabel, likelihoodLabel, posteriorLabel] : [priorLabel, posteriorLabel];
  const band = grid.filter((t) => t >= lo && t <= hi).map((theta) => ({ theta, density: Math.min(posterior.pdf(theta), cap) }));
  const marks: Array<{ theta: number; estimate: string }> = [{ theta: posterior.mean, estimate: 'posterior mean' }];
  if (posterior.mode !== null) marks.push({ theta: posterior.mode, estimate: 'MAP' });
  const mle = model.mle();
  if (mle !== null) marks.push({ theta: mle, estimate: 'MLE' });
  const x = { field: 'theta', type: 'quantitative', title: 'θ (probability of heads)', scale: { domain: focus, nice: false } };
  const y = { field: 'density', type: 'quantitative', title: 'density', scale: { domain: [0, cap], nice: false } };
  return {
    $schema: SCHEMA,
    title: {
      text: `Beta-Binomial: prior, likelihood and posterior`,
      subtitle: `shaded: ${fmt(100 * level)}% equal-tailed interval [${fmt(lo)}, ${fmt(hi)}]`,
    },
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: band },
        mark: { type: 'area', opacity: 0.25, color: '#e45756', clip: true },
        encoding: { x, y },
      },
      {
        data: { values: curves },
        mark: { type: 'line', clip: true, strokeWidth: 2 },
        encoding: {
          x,
          y,
          color: {
            field: 'curve',
            type: 'nominal',
            title: 'density',
            scale: { domain: curveNames, range: ['#4c78a8', '#9d9d9d', '#e45756'].slice(0, curveNames.length) },
          },
        },
      },
      {
        data: { values: [{ lo: hdi[0], hi: hdi[1], y: cap * 0.03, label: `${fmt(100 * level)}% HDI` }] },
        mark: { type: 'rule', strokeWidth: 4, color: '#54a24b', clip: true },
        encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' }, y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values: [{ theta: (hdi[0] + hdi[1]) / 2, y: cap * 0.03, label: `${fmt(100 * level)}% HDI [${fmt(hdi[0])}, ${fmt(hdi[1])}]` }] },
        mark: { type: 'text', color: '#2f7d32', baseline: 'bottom', dy: -5, fontSize: 11 },
        encoding: { x: { field: 'theta', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } },
      },
      {
        data: { values: marks },
        mark: { type: 'rule', strokeWidth: 1.5, clip: true },
        encoding: {
          x: { field: 'theta', type: 'quantitative' },
          strokeDash: { field: 'estimate', type: 'nominal', title: 'estimate', scale: { domain: ['MLE', 'MAP', 'posterior mean'], range: [[2, 2], [8, 2], [1, 0]] } },
        },
      },
    ],
    config: { legend: { orient: 'bottom', direction: 'vertical', labelLimit: 480 } },
  };
}

/** The Beta shapes of the assignment's discussion: (1,1) uniform, U-shaped, symmetric, skewed, peaked. */
export const REPRESENTATIVE_SHAPES: ReadonlyArray<readonly [number, number]> = [
  [1, 1],
  [0.5, 0.5],
  [2, 2],
  [2, 5],
  [5, 2],
  [20, 20],
];

/** The Beta(α, β) densities for each pair, on one chart. */
export function betaShapesSpec(pairs: ReadonlyArray<readonly [number, number]> = REPRESENTATIVE_SHAPES): VegaLiteSpec {
  const dists = pairs.map(([a, b]) => new Beta(a, b));
  const cap = Math.max(...dists.map((d) => densityCap([d])));
  const values: Array<{ theta: number; density: number; shape: string }> = [];
  const grid = thetaGrid(0, 1, 500, 0);
  for (const d of dists) {
    const label = `Beta(${fmt(d.alpha)}, ${fmt(d.beta)})`;
    for (const theta of grid) values.push({ theta, density: Math.min(d.pdf(theta), cap * 2), shape: label });
  }
  return {
    $schema: SCHEMA,
    title: { text: 'The Beta family', subtitle: 'Beta(1, 1) is uniform; α = β is symmetric; larger α + β is more concentrated' },
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: 'line', clip: true, strokeWidth: 2 },
    encoding: {
      x: { field: 'theta', type: 'quantitative', title: 'θ', scale: { domain: [0, 1], nice: false } },
      y: { field: 'density', type: 'quantitative', title: 'density', scale: { domain: [0, cap], nice: false } },
      color: { field: 'shape', type: 'nominal', title: null, sort: null },
    },
    config: { legend: { orient: 'bottom', columns: 3 } },
  };
}

export interface SequencePlotInput extends PosteriorPlotInput {
  /** Seed of the order in which the observed heads and tails are replayed. */
  seed?: number;
  /** How many posteriors to draw (at most). */
  steps?: number;
}

/** The flip counts at which to draw the posterior: every flip when few, else log-spaced. */
export function sequenceSteps(trials: number, steps = 8): number[] {
  if (trials + 1 <= steps) return Array.from({ length: trials + 1 }, (_, i) => i);
  const out = new Set<number>([0]);
  for (let i = 0; i < steps - 1; i++) out.add(Math.round(Math.exp((Math.log(trials) * i) / (steps - 2))));
  out.add(trials);
  return [...out].sort((a, b) => a - b);
}

/**
 * The posterior after 0, …, N of the observed flips (heads and tails replayed in a seeded random
 * order), converging on the MLE y/N.
 */
export function posteriorSequenceSpec(input: SequencePlotInput): VegaLiteSpec {
  validateData(input.heads, input.trials);
  const order: number[] = [];
  const rng = new Random(input.seed ?? 1);
  // Replay the data as a sequence: a seeded shuffle of y heads and N − y tails.
  for (let i = 0; i < input.trials; i++) order.push(i < input.heads ? 1 : 0);
  rng.shuffle(order);
  const steps = sequenceSteps(input.trials, input.steps ?? 8);
  const prefix = new Array<number>(input.trials + 1).fill(0);
  for (let i = 0; i < input.trials; i++) prefix[i + 1] = prefix[i]! + order[i]!;
  const dists = steps.map((n) => new Beta(input.alpha + prefix[n]!, input.beta + n - prefix[n]!));
  const last = dists[dists.length - 1]!;
  const focus = focusRange([last, dists[0]!]);
  const cap = densityCap([last]);
  const grid = thetaGrid(focus[0], focus[1]).filter((t) => t >= focus[0] && t <= focus[1]);
  const values: Array<{ theta: number; density: number; flips: number; label: string }> = [];
  steps.forEach((n, i) => {
    const d = dists[i]!;
    const label = `n = ${n} (${prefix[n]} heads)`;
    for (const theta of grid) values.push({ theta, density: Math.min(d.pdf(theta), cap * 2), flips: n, label });
  });
  const mle = input.trials > 0 ? input.heads / input.trials : null;
  const layers: unknown[] = [
    {
      data: { values },
      mark: { type: 'line', clip: true, strokeWidth: 1.8 },
      encoding: {
        x: { field: 'theta', type: 'quantitative', title: 'θ', scale: { domain: focus, nice: false } },
        y: { field: 'density', type: 'quantitative', title: 'posterior density', scale: { domain: [0, cap], nice: false } },
        color: { field: 'label', type: 'ordinal', title: 'after', sort: { field: 'flips' }, scale: { scheme: 'viridis' } },
        detail: { field: 'flips' },
      },
    },
  ];
  if (mle !== null) {
    layers.push({
      data: { values: [{ theta: mle, label: `MLE ${fmt(mle)}` }] },
      mark: { type: 'rule', strokeDash: [4, 3], color: 'black' },
      encoding: { x: { field: 'theta', type: 'quantitative' } },
    });
  }
  return {
    $schema: SCHEMA,
    title: {
      text: 'The posterior as flips arrive',
      subtitle: `prior Beta(${fmt(input.alpha)}, ${fmt(input.beta)}); ${input.heads}/${input.trials} heads replayed in a seeded random order; dashed: the MLE`,
    },
    width: WIDTH,
    height: HEIGHT,
    layer: layers,
  };
}

/** Up to 4 significant digits, without trailing zeros. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-3)) return x.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(4)));
}

export interface AsymptoticsPlotInput {
  theta: number;
  alpha: number;
  beta: number;
  rows: ReadonlyArray<{ n: number; mle: number; posteriorMean: number; map: number | null }>;
}

/** MLE, posterior mean and MAP of one simulated coin against n (log scale), with the true θ. */
export function asymptoticsSpec(input: AsymptoticsPlotInput): VegaLiteSpec {
  const values: Array<{ n: number; value: number; estimate: string }> = [];
  for (const r of input.rows) {
    values.push({ n: r.n, value: r.mle, estimate: 'MLE y/n' });
    values.push({ n: r.n, value: r.posteriorMean, estimate: 'posterior mean' });
    if (r.map !== null) values.push({ n: r.n, value: r.map, estimate: 'MAP' });
  }
  return {
    $schema: SCHEMA,
    title: {
      text: 'Estimates as the number of flips grows',
      subtitle: `one simulated coin with θ = ${fmt(input.theta)}, prior Beta(${fmt(input.alpha)}, ${fmt(input.beta)}); dashed: the true θ`,
    },
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: true, strokeWidth: 1.8 },
        encoding: {
          x: { field: 'n', type: 'quantitative', scale: { type: 'log' }, title: 'flips n (log scale)' },
          y: { field: 'value', type: 'quantitative', title: 'estimate of θ', scale: { zero: false } },
          color: { field: 'estimate', type: 'nominal', title: null, sort: ['MLE y/n', 'MAP', 'posterior mean'] },
        },
      },
      {
        data: { values: [{ theta: input.theta }] },
        mark: { type: 'rule', strokeDash: [4, 3], color: 'black' },
        encoding: { y: { field: 'theta', type: 'quantitative' } },
      },
    ],
    config: { legend: { orient: 'bottom' } },
  };
}
