/** Node-only file helpers for the CLI: checked output paths and atomic writes. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Mlp } from '../nn/mlp.js';
import { verifyCheckpoint } from '../node/provenance.js';
import { decodeModel } from '../train/checkpoint.js';
import { UsageError } from './errors.js';

/** Checks, before any work is done, that `path` can be written: its folder exists and it is no folder. */
export function checkOutputPath(flag: string, path: string): string {
  if (path.trim() === '') throw new UsageError(`${flag}: "" (must be a file path)`);
  const full = resolve(path);
  const dir = dirname(full);
  let dirStat;
  try {
    dirStat = statSync(dir);
  } catch {
    throw new UsageError(`${flag}: ${JSON.stringify(path)} (folder ${JSON.stringify(dir)} does not exist)`);
  }
  if (!dirStat.isDirectory()) throw new UsageError(`${flag}: ${JSON.stringify(path)} (${JSON.stringify(dir)} is not a folder)`);
  try {
    if (statSync(full).isDirectory()) throw new UsageError(`${flag}: ${JSON.stringify(path)} (is a folder, expected a file)`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
  }
  return full;
}

/** Writes `content` to `path` atomically: a temporary file in the same folder, then a rename. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const full = resolve(path);
  const tmp = resolve(dirname(full), `.${basename(full)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, full);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** The bytes of an input file, or one line naming the flag and why it cannot be read. */
export function readInputFile(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(`${flag}: ${JSON.stringify(path)} (cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** A saved model and its metadata; a malformed file raises DataFormatError (exit 2). */
export function readModelFile(flag: string, path: string): { model: Mlp; metadata: Record<string, string> } {
  const bytes = readInputFile(flag, path);
  verifyCheckpoint(path, bytes); // a manifest beside the model must match it
  return decodeModel(bytes, path);
}

/** An output folder, created if missing; undefined when the flag was not given. */
export function outputDir(flag: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const dir = resolve(raw);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(`${flag}: ${JSON.stringify(raw)} (cannot create the folder: ${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return dir;
}
