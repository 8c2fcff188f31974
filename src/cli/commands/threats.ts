/** `bayesprop threats`: each threat with its safeguard, the measured benefit and the measured cost. */
import { Command } from 'commander';
import { join } from 'node:path';
import { fillBatch, imageSize, limit, select, type Dataset } from '../../data/dataset.js';
import { loadDataset } from '../../node/datasets.js';
import { Random } from '../../math/random.js';
import { sha256 } from '../../node/provenance.js';
import { decodeModel } from '../../train/checkpoint.js';
import { predictLogits } from '../../train/train.js';
import { attack } from '../../threats/attacks.js';
import { corrupt } from '../../threats/corruptions.js';
import { accuracyOf, logitsOf, predict } from '../../threats/evaluate.js';
import { abstentionCurve, adversarialTraining, inputCheck, quantile } from '../../threats/safeguards.js';
import { scoresFromLogits } from '../../uncertainty/scores.js';
import { UsageError } from '../errors.js';
import { outputDir, readInputFile, readModelFile, writeFileAtomic } from '../io.js';
import { positiveInt, seed } from '../parse.js';

interface ThreatsOptions {
  model: string;
  out?: string;
  eps: string;
  limit: string;
  advEpochs: string;
  advLimit: string;
  seed: string;
  json?: boolean;
}

export function threatsCommand(): Command {
  return new Command('threats')
    .summary('the assignment\'s threats with safeguards: measured benefit and cost of each, as one table')
    .description(
      [
        'Runs, on one model: an FGSM attack on the envelopes (ε), a tampered scanner (a fixed pattern), and a',
        'tampered checkpoint; and the safeguards: adversarial training (FGSM, fine-tuning a copy), abstaining',
        'when the entropy is high (threshold at 95% coverage of clean mail), an entropy input check (5% false',
        'alarms on clean mail), and the provenance manifest. Thresholds are set on one half of the test',
        'images and measured on the other.',
      ].join('\n'),
    )
    .requiredOption('--model <model.safetensors>', 'the deployed model')
    .option('--out <dir>', 'write threats.json and threats.md here')
    .option('--eps <ε>', 'the envelope attack budget', '0.1')
    .option('--limit <N>', 'test images used (half to set thresholds, half to measure)', '2000')
    .option('--adv-epochs <E>', 'epochs of adversarial fine-tuning', '2')
    .option('--adv-limit <N>', 'training images for adversarial fine-tuning', '20000')
    .option('--seed <n>', 'seed', '0')
    .option('--json', 'print one JSON object on stdout')
    .addHelpText('after', ['', 'Example:', '  $ bayesprop threats --model runs/mnist/model.safetensors --out runs/threats'].join('\n'))
    .action(async (o: ThreatsOptions) => {
      await runThreats(o);
    });
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

async function runThreats(o: ThreatsOptions): Promise<void> {
  const eps = Number(o.eps);
  if (!(eps > 0 && eps <= 1)) throw new UsageError(`--eps: ${JSON.stringify(o.eps)} (must be a number in (0, 1])`);
  const n = positiveInt('--limit', o.limit, 2);
  const advEpochs = positiveInt('--adv-epochs', o.advEpochs);
  const advLimit = positiveInt('--adv-limit', o.advLimit);
  const seedValue = seed('--seed', o.seed);
  const outDir = outputDir('--out', o.out);
  const { model } = readModelFile('--model', o.model);
  const test = limit(await loadDataset('mnist', 'test'), n);
  const half = Math.floor(test.count / 2);
  const calib = select(test, Array.from({ length: half }, (_, i) => i));
  const evalSet = select(test, Array.from({ length: test.count - half }, (_, i) => half + i));
  const say = (s: string) => {
    if (!o.json) process.stderr.write(s + '\n');
  };
  const pixels = imageSize(evalSet);
  const images = new Float32Array(evalSet.count * pixels);
  const labels = new Int32Array(evalSet.count);
  fillBatch(evalSet, null, 0, evalSet.count, images, labels);
  const entropyOf = (m: typeof model, x: Float32Array | Dataset, rows: number) => {
    const logits = x instanceof Float32Array ? logitsOf(m, x, rows) : predictLogits(m, x);
    return scoresFromLogits({ data: logits, rows, cols: 10 });
  };
  // The envelope attack and its safeguards.
  say(`FGSM ε = ${eps} on ${evalSet.count} test digits…`);
  const clean = entropyOf(model, images, evalSet.count);
  const adv = attack(model, images, evalSet.count, labels, { method: 'fgsm', eps });
  const attacked = entropyOf(model, adv, evalSet.count);
  const correct = (s: ReturnType<typeof entropyOf>) => Array.from(s.predicted, (p, i) => p === labels[i]);
  const cleanAcc = correct(clean).filter(Boolean).length / evalSet.count;
  const robustAcc = correct(attacked).filter(Boolean).length / evalSet.count;
  const calibScores = entropyOf(model, calib, calib.count);
  // Abstain above the entropy that 95% of the calibration half stays under.
  const thresholdAt95 = quantile(calibScores.entropy, 0.95);
  const keep = (s: ReturnType<typeof entropyOf>) => {
    const ok = correct(s);
    let kept = 0;
    let right = 0;
    s.entropy.forEach((e, i) => {
      if (e <= thresholdAt95) {
        kept++;
        if (ok[i]) right++;
      }
    });
    return { coverage: kept / s.entropy.length, accuracy: kept ? right / kept : NaN };
  };
  const abstainClean = keep(clean);
  const abstainAttacked = keep(attacked);
  const checkAdv = inputCheck(calibScores.entropy, clean.entropy, attacked.entropy, 0.05);
  // The scanner: a fixed pattern added to every scan.
  const tampered = corrupt(evalSet, 'pattern', 0.3, seedValue);
  const tamperedScores = entropyOf(model, tampered, tampered.count);
  const tamperedAcc = accuracyOf(tamperedScores.predicted, labels);
  const checkScanner = inputCheck(calibScores.entropy, clean.entropy, tamperedScores.entropy, 0.05);
  // Adversarial fine-tuning of a copy.
  say(`adversarial fine-tuning (FGSM ε = ${eps}, ${advEpochs} epochs on ${advLimit} images)…`);
  const bytes = readInputFile('--model', o.model);
  const copy = decodeModel(bytes).model;
  const trainSet = limit(await loadDataset('mnist', 'train'), advLimit);
  const started = performance.now();
  adversarialTraining(copy, trainSet, calib, { epochs: advEpochs, batchSize: 128, lr: 0.1, seed: seedValue, loss: 'assignment' }, eps);
  const advSeconds = (performance.now() - started) / 1000;
  const cleanAfter = accuracyOf(predict(copy, images, evalSet.count), labels);
  const advAfter = attack(copy, images, evalSet.count, labels, { method: 'fgsm', eps });
  const robustAfter = accuracyOf(predict(copy, advAfter, evalSet.count), labels);
  // PGD-40 (step 0.01, random start), the stronger attack, before and after.
  say('PGD-40 before and after adversarial fine-tuning…');
  const pgdAccuracy = (m: typeof model) => {
    const a = attack(m, images, evalSet.count, labels, { method: 'pgd', eps, steps: 40, stepSize: 0.01, rng: new Random(seedValue) });
    return accuracyOf(predict(m, a, evalSet.count), labels);
  };
  const pgdBefore = pgdAccuracy(model);
  const pgdAfter = pgdAccuracy(copy);
  // The retraining team: a tampered checkpoint against the provenance manifest.
  const flipped = Uint8Array.from(bytes);
  flipped[flipped.length - 1]! ^= 1;
  const hashStart = performance.now();
  const detected = sha256(flipped) !== sha256(bytes);
  const hashMs = performance.now() - hashStart;
  const rows = [
    {
      threat: `envelopes altered (FGSM, ε = ${eps})`,
      safeguard: 'none',
      benefit: `accuracy ${pct(cleanAcc)} clean → ${pct(robustAcc)} attacked`,
      cost: '—',
    },
    {
      threat: `envelopes altered (FGSM, ε = ${eps})`,
      safeguard: `adversarial fine-tuning (${advEpochs} epochs, ${advLimit} images)`,
      benefit: `accuracy under FGSM ${pct(robustAcc)} → ${pct(robustAfter)}, under PGD-40 ${pct(pgdBefore)} → ${pct(pgdAfter)}`,
      cost: `clean accuracy ${pct(cleanAcc)} → ${pct(cleanAfter)}; ${advSeconds.toFixed(0)} s of training`,
    },
    {
      threat: `envelopes altered (FGSM, ε = ${eps})`,
      safeguard: 'abstain when entropy is high (threshold: 95% of clean mail read)',
      benefit: `${pct(1 - abstainAttacked.coverage)} of attacked letters sent to a person; accuracy on the rest ${pct(abstainAttacked.accuracy)}`,
      cost: `${pct(1 - abstainClean.coverage)} of clean letters sent to a person`,
    },
    {
      threat: `envelopes altered (FGSM, ε = ${eps})`,
      safeguard: 'input check on entropy (5% false alarms set on clean mail)',
      benefit: `${pct(checkAdv.detectionRate)} of attacked letters flagged`,
      cost: `${pct(checkAdv.falseAlarmRate)} of clean letters flagged`,
    },
    {
      threat: 'scanner tampered (fixed pattern, amplitude 0.3)',
      safeguard: 'input check on entropy',
      benefit: `accuracy ${pct(cleanAcc)} → ${pct(tamperedAcc)} under tampering; ${pct(checkScanner.detectionRate)} of tampered scans flagged`,
      cost: `${pct(checkScanner.falseAlarmRate)} of clean scans flagged`,
    },
    {
      threat: 'checkpoint tampered (one bit flipped)',
      safeguard: 'SHA-256 provenance manifest checked at load',
      benefit: detected ? 'detected (load refused)' : 'not detected',
      cost: `${hashMs.toFixed(1)} ms to hash the checkpoint`,
    },
  ];
  const result = {
    model: o.model,
    eps,
    evaluated: evalSet.count,
    calibration: calib.count,
    measurements: {
      cleanAccuracy: cleanAcc,
      robustAccuracy: robustAcc,
      adversarialTraining: { epochs: advEpochs, images: advLimit, seconds: advSeconds, cleanAccuracy: cleanAfter, robustAccuracy: robustAfter, pgdBefore, pgdAfter },
      abstention: {
        threshold: thresholdAt95,
        clean: abstainClean,
        attacked: abstainAttacked,
        // Coverage against accuracy under attack, thresholds at quantiles of the clean entropies.
        curve: abstentionCurve({ entropy: clean.entropy, correct: correct(clean) }, { entropy: attacked.entropy, correct: correct(attacked) }, [1, 0.99, 0.95, 0.9, 0.8, 0.7, 0.5]),
      },
      inputCheck: { attacked: checkAdv, scanner: checkScanner },
      scanner: { accuracy: tamperedAcc },
      provenance: { detected, hashMs },
    },
    table: rows,
  };
  const md = ['| threat | safeguard | measured benefit | measured cost |', '|---|---|---|---|', ...rows.map((r) => `| ${r.threat} | ${r.safeguard} | ${r.benefit} | ${r.cost} |`)].join('\n') + '\n';
  if (outDir) {
    writeFileAtomic(join(outDir, 'threats.json'), JSON.stringify(result, null, 2) + '\n');
    writeFileAtomic(join(outDir, 'threats.md'), md);
  }
  if (o.json) process.stdout.write(JSON.stringify(result) + '\n');
  else process.stdout.write(md);
}
