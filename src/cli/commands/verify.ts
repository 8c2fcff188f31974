/** `bayesprop verify`: checks a model's provenance manifest against the checkpoint and the data. */
import { Command } from 'commander';
import { filterClasses, limit } from '../../data/dataset.js';
import { loadDataset, type DatasetName } from '../../node/datasets.js';
import { readManifest, verifyCheckpoint, verifyData, ProvenanceError } from '../../node/provenance.js';
import { readInputFile } from '../io.js';

export function verifyCommand(): Command {
  return new Command('verify')
    .summary("check a model against its manifest: the checkpoint's and the training data's SHA-256")
    .requiredOption('--model <model.safetensors>', 'a model written by `bayesprop train --out DIR` (with DIR/manifest.json)')
    .option('--data-dir <dir>', 'read the training data from this folder instead')
    .option('--json', 'print one JSON object on stdout')
    .addHelpText('after', ['', 'Example:', '  $ bayesprop verify --model runs/mnist/model.safetensors'].join('\n'))
    .action(async (o: { model: string; dataDir?: string; json?: boolean }) => {
      const bytes = readInputFile('--model', o.model);
      if (!readManifest(o.model)) throw new ProvenanceError(`${o.model}: no manifest.json beside it (models written by \`bayesprop train --out DIR\` have one)`);
      const m = verifyCheckpoint(o.model, bytes)!;
      const c = m.config as { data?: DatasetName; classes?: number[] | null; limit?: number | null };
      let ds = await loadDataset(c.data ?? 'mnist', 'train', o.dataDir);
      if (c.classes) ds = filterClasses(ds, c.classes);
      if (c.limit) ds = limit(ds, c.limit);
      verifyData(m, ds);
      const result = { model: o.model, checkpoint: 'ok', config: 'ok', data: 'ok', checkpointSha256: m.checkpoint.sha256, dataImagesSha256: m.data.imagesSha256, dataLabelsSha256: m.data.labelsSha256 };
      if (o.json) process.stdout.write(JSON.stringify(result) + '\n');
      else process.stdout.write(`${o.model}: checkpoint, configuration and training data (${m.data.count} images of ${m.data.name}) match manifest.json\n`);
    });
}
