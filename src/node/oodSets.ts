/** Turns OOD specs into data sets (Node only: some read files). */
import { filterClasses, limit, type Dataset } from '../data/dataset.js';
import { addNoise, blur, invert, rotate, uniformNoise } from '../data/shifts.js';
import { Random } from '../math/random.js';
import { labelsMeaningful, type OodSpec } from '../uncertainty/spec.js';
import type { OodSetInput } from '../uncertainty/analyze.js';
import { loadDataset } from './datasets.js';

/** The test set a spec names; shifts apply to `inTest` (the in-distribution test images). */
export async function loadOodSet(spec: OodSpec, inTest: Dataset, seed: number, maxCount?: number): Promise<OodSetInput> {
  const rng = new Random(seed);
  let ds: Dataset;
  switch (spec.kind) {
    case 'dataset':
      ds = await loadDataset(spec.name, 'test');
      if (spec.classes) ds = filterClasses(ds, spec.classes);
      break;
    case 'idx':
      ds = await loadDataset('mnist', 'test', spec.dir);
      ds = { ...ds, name: spec.dir };
      break;
    case 'rotate':
      ds = rotate(inTest, spec.degrees);
      break;
    case 'noise':
      ds = addNoise(inTest, spec.sigma, rng);
      break;
    case 'invert':
      ds = invert(inTest);
      break;
    case 'blur':
      ds = blur(inTest, spec.sigma);
      break;
    case 'uniform':
      ds = uniformNoise(inTest.count, inTest.rows, inTest.cols, rng);
      break;
  }
  if (maxCount !== undefined) ds = limit(ds, maxCount);
  return { spec: spec.text, dataset: ds, labelsMeaningful: labelsMeaningful(spec) };
}
