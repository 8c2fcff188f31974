/**
 * Data and model provenance (Node only): a manifest of SHA-256 hashes of the training data (the
 * exact images and labels used, after class filters and limits), the training configuration and
 * the checkpoint, written beside every model. Loading a model verifies its checkpoint against the
 * manifest; `verify` also re-derives the training data and checks it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Dataset } from '../data/dataset.js';

export const MANIFEST_NAME = 'manifest.json';
export const MANIFEST_FORMAT = 'bayesprop-manifest/1';

/** A checkpoint or data set that no longer matches its manifest. */
export class ProvenanceError extends Error {
  override readonly name = 'ProvenanceError';
}

export interface Manifest {
  format: string;
  checkpoint: { file: string; sha256: string };
  config: Record<string, unknown>;
  configSha256: string;
  data: { name: string; count: number; imagesSha256: string; labelsSha256: string };
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Canonical JSON (sorted keys) so that the configuration hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function dataFingerprint(ds: Dataset): Manifest['data'] {
  return { name: ds.name, count: ds.count, imagesSha256: sha256(ds.images), labelsSha256: sha256(ds.labels) };
}

export function makeManifest(checkpointFile: string, checkpoint: Uint8Array, config: Record<string, unknown>, trainSet: Dataset): Manifest {
  return {
    format: MANIFEST_FORMAT,
    checkpoint: { file: basename(checkpointFile), sha256: sha256(checkpoint) },
    config,
    configSha256: sha256(canonicalJson(config)),
    data: dataFingerprint(trainSet),
  };
}

/** The manifest beside a checkpoint, or null when there is none. */
export function readManifest(checkpointPath: string): Manifest | null {
  const path = join(dirname(checkpointPath), MANIFEST_NAME);
  if (!existsSync(path)) return null;
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (error) {
    throw new ProvenanceError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (m.format !== MANIFEST_FORMAT) throw new ProvenanceError(`${path}: format ${JSON.stringify(m.format)}, expected ${MANIFEST_FORMAT}`);
  return m;
}

/** Checks a checkpoint's bytes against its manifest (when it has one whose file is this one). */
export function verifyCheckpoint(checkpointPath: string, bytes: Uint8Array): Manifest | null {
  const m = readManifest(checkpointPath);
  if (!m || m.checkpoint.file !== basename(checkpointPath)) return null;
  const actual = sha256(bytes);
  if (actual !== m.checkpoint.sha256) {
    throw new ProvenanceError(`${checkpointPath}: SHA-256 ${actual.slice(0, 16)}… differs from ${MANIFEST_NAME} (${m.checkpoint.sha256.slice(0, 16)}…): the checkpoint changed after training`);
  }
  if (sha256(canonicalJson(m.config)) !== m.configSha256) throw new ProvenanceError(`${join(dirname(checkpointPath), MANIFEST_NAME)}: the configuration does not match its hash: the manifest was edited`);
  return m;
}

/** Checks that `ds` is the training data the manifest recorded. */
export function verifyData(m: Manifest, ds: Dataset): void {
  const now = dataFingerprint(ds);
  if (now.count !== m.data.count) throw new ProvenanceError(`training data: ${now.count} images, the manifest recorded ${m.data.count}`);
  if (now.imagesSha256 !== m.data.imagesSha256) throw new ProvenanceError(`training data: the images' SHA-256 ${now.imagesSha256.slice(0, 16)}… differs from the manifest (${m.data.imagesSha256.slice(0, 16)}…)`);
  if (now.labelsSha256 !== m.data.labelsSha256) throw new ProvenanceError(`training data: the labels' SHA-256 ${now.labelsSha256.slice(0, 16)}… differs from the manifest (${m.data.labelsSha256.slice(0, 16)}…): labels were changed`);
}
