/**
 * The `bayesprop` command line: a thin shell over the library. Bad input prints one line on
 * stderr and exits with 2; an unexpected failure prints one line (and the stack with
 * BAYESPROP_DEBUG=1) and exits with 1.
 */
import '../node/relaxedSimd.js';
import { Command, CommanderError, Option } from 'commander';
import { defaultThreads, startKernelThreads } from '../node/kernelThreads.js';
import { createWasmBackend } from '../tensor/backends/wasm.js';
import { referenceBackend, setDefaultBackend } from '../tensor/tensor.js';
import { readFileSync } from 'node:fs';
import { DomainError } from '../autodiff/graph.js';
import { ParseError } from '../autodiff/parse.js';
import { ArgumentError } from '../errors.js';
import { autodiffCommand } from './commands/autodiff.js';
import { backpropCommand } from './commands/backprop.js';
import { evalCommand, trainCommand } from './commands/train.js';
import { oodCommand } from './commands/ood.js';
import { ensembleCommand } from './commands/ensemble.js';
import { attackCommand, corruptCommand, zipcodesCommand } from './commands/attack.js';
import { verifyCommand } from './commands/verify.js';
import { poisonCommand } from './commands/poison.js';
import { threatsCommand } from './commands/threats.js';
import { DataFormatError } from '../data/idx.js';
import { MissingDatasetError } from '../node/datasets.js';
import { ProvenanceError } from '../node/provenance.js';
import { betaCommand } from './commands/beta.js';
import { UsageError } from './errors.js';
import { positiveInt } from './parse.js';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}

export function buildProgram(): Command {
  const program = new Command('bayesprop')
    .description('Bayesian inference, automatic differentiation and neural networks, from scratch in TypeScript.')
    .version(version())
    .addHelpText('after', '\nExample:\n  $ bayesprop beta --alpha 2 --beta 2 --heads 7 --trials 10\n\nRun `bayesprop <command> --help` for the options of each command.');
  program.addCommand(betaCommand());
  program.addCommand(autodiffCommand());
  program.addCommand(backpropCommand());
  program.addCommand(trainCommand());
  program.addCommand(evalCommand());
  program.addCommand(oodCommand());
  program.addCommand(ensembleCommand());
  program.addCommand(attackCommand());
  program.addCommand(corruptCommand());
  program.addCommand(zipcodesCommand());
  program.addCommand(poisonCommand());
  program.addCommand(threatsCommand());
  program.addCommand(verifyCommand());
  // Commands that train or run models take --backend (wasm where it loads, else js).
  for (const command of program.commands) {
    if (['train', 'eval', 'ood', 'ensemble', 'attack', 'corrupt', 'zipcodes', 'poison', 'threats'].includes(command.name())) {
      command.addOption(new Option('--backend <name>', 'compute kernels: wasm (SIMD WebAssembly, tensors in its memory) or js (plain TypeScript reference)').choices(['wasm', 'js']).default('wasm'));
      // ensemble's --threads already counts member workers (each runs its kernels on one thread).
      if (command.name() !== 'ensemble') command.addOption(new Option('--threads <n>', 'threads for the large wasm kernels (default: the cores available; 1: no worker threads)'));
    }
  }
  program.hook('preAction', async (_program, action) => {
    const { backend, threads } = action.opts() as { backend?: string; threads?: string };
    if (backend === undefined) return;
    const kernelThreads = action.name() === 'ensemble' ? 1 : threads === undefined ? defaultThreads() : positiveInt('--threads', threads);
    await useBackend(backend, kernelThreads);
  });
  // Commander's own errors (unknown option, missing value) as one line, like ours.
  const oneLine = {
    outputError: (text: string, write: (s: string) => void) =>
      write(`bayesprop: ${text.trim().replace(/^error: /, '')} (see --help)\n`),
  };
  program.exitOverride().configureOutput(oneLine);
  for (const command of program.commands) command.exitOverride().configureOutput(oneLine);
  return program;
}

/**
 * Makes `name` the backend of every tensor the command creates (wasm falls back to js if it
 * cannot load), with `threads` threads for its large kernels.
 */
export async function useBackend(name: string, threads = 1): Promise<void> {
  const wasm = name === 'wasm' ? createWasmBackend() : null;
  if (name === 'wasm' && !wasm) process.stderr.write('bayesprop: the WebAssembly backend did not load here; using js\n');
  if (wasm) await startKernelThreads(wasm, threads);
  setDefaultBackend(wasm ?? referenceBackend);
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    // A command may set a non-zero code for a result that is not an error (a failed --check).
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (or the help / version).
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2;
    }
    if (error instanceof ParseError) {
      process.stderr.write(`bayesprop: parse error at ${error.message}\n${error.caret()}\n`);
      return 2;
    }
    if (error instanceof DomainError) {
      process.stderr.write(`bayesprop: undefined at this point: ${error.message}\n`);
      return 2;
    }
    if (error instanceof UsageError || error instanceof ArgumentError || error instanceof DataFormatError || error instanceof MissingDatasetError || error instanceof ProvenanceError) {
      process.stderr.write(`bayesprop: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`bayesprop: internal error: ${message}\n`);
    if (process.env.BAYESPROP_DEBUG && error instanceof Error && error.stack) process.stderr.write(error.stack + '\n');
    return 1;
  }
}
