/**
 * Models as files: the weights as safetensors, with the architecture, seed, data and metrics as
 * JSON strings in its `__metadata__`, so a checkpoint says how it was made.
 */
import { DataFormatError } from '../data/idx.js';
import { Mlp, type MlpShape } from '../nn/mlp.js';
import type { Backend } from '../tensor/backend.js';
import { Tensor, getDefaultBackend } from '../tensor/tensor.js';
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from './safetensors.js';

export const MODEL_FORMAT = 'bayesprop-mlp/1';

export interface ModelMetadata {
  architecture: MlpShape & { activation: 'relu'; output: 'softmax' };
  /** Anything else worth keeping (seed, data, config, metrics), stored as JSON. */
  [key: string]: unknown;
}

export function encodeModel(model: Mlp, extra: Record<string, unknown> = {}): Uint8Array {
  const tensors: Record<string, SafeTensor> = {};
  for (const [name, t] of model.namedParameters()) tensors[name] = { dtype: t.dtype === 'float64' ? 'F64' : 'F32', shape: [...t.shape], data: t.data };
  const metadata: Record<string, string> = {
    format: MODEL_FORMAT,
    architecture: JSON.stringify({ ...model.shape, activation: 'relu', output: 'softmax' }),
  };
  for (const [k, v] of Object.entries(extra)) metadata[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return encodeSafetensors(tensors, metadata);
}

/** A model from checkpoint bytes, checked against its own architecture. */
export function decodeModel(bytes: Uint8Array, name = 'model', backend: Backend = getDefaultBackend()): { model: Mlp; metadata: Record<string, string> } {
  const { tensors, metadata } = decodeSafetensors(bytes, name);
  if (metadata.format !== MODEL_FORMAT) throw new DataFormatError(`${name}: not a bayesprop MLP checkpoint (format ${JSON.stringify(metadata.format ?? null)}, expected ${MODEL_FORMAT})`);
  let shape: MlpShape;
  try {
    const a = JSON.parse(metadata.architecture ?? 'null') as MlpShape;
    shape = { inputs: a.inputs, hidden: a.hidden, outputs: a.outputs };
  } catch {
    throw new DataFormatError(`${name}: the architecture metadata is not valid JSON`);
  }
  const load = (key: string, dims: number[]): Tensor => {
    const t = tensors[key];
    if (!t) throw new DataFormatError(`${name}: tensor ${key} is missing`);
    if (t.shape.length !== dims.length || t.shape.some((d, i) => d !== dims[i])) {
      throw new DataFormatError(`${name}: tensor ${key} has shape [${t.shape.join(', ')}], the architecture says [${dims.join(', ')}]`);
    }
    const data = backend.alloc(t.data.length, t.dtype === 'F64' ? 'float64' : 'float32', { persistent: true });
    data.set(t.data);
    return new Tensor(data, dims, backend);
  };
  const model = new Mlp(
    shape,
    load('W1', [shape.inputs, shape.hidden]),
    load('b1', [shape.hidden]),
    load('W2', [shape.hidden, shape.outputs]),
    load('b2', [shape.outputs]),
  );
  return { model, metadata };
}
