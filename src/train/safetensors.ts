/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of JSON
 * (`{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}`, padded
 * with spaces to a multiple of 8), then the raw little-endian tensor bytes. The reader checks
 * the header length, the JSON, every dtype, shape and offset against the file size (no overlaps,
 * no gaps) before it reads a value.
 */
import { DataFormatError } from '../data/idx.js';

export type SafeDType = 'F32' | 'F64';

export interface SafeTensor {
  dtype: SafeDType;
  shape: number[];
  data: Float32Array | Float64Array;
}

const ITEM_SIZE: Record<SafeDType, number> = { F32: 4, F64: 8 };
const MAX_HEADER = 100 * 1024 * 1024;
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Encodes tensors (in the given order) and string metadata. */
export function encodeSafetensors(tensors: Record<string, SafeTensor>, metadata: Record<string, string> = {}): Uint8Array {
  if (!littleEndian) throw new Error('safetensors: big-endian hosts are not supported');
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const bytes = t.data.length * ITEM_SIZE[t.dtype];
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const jsonBytes = new TextEncoder().encode(json);
  const pad = (8 - (jsonBytes.length % 8)) % 8; // multi-byte characters can break the alignment
  const headerLength = jsonBytes.length + pad;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(jsonBytes, 8);
  out.fill(0x20, 8 + jsonBytes.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const t of Object.values(tensors)) {
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

/** Decodes and validates safetensors bytes. `name` is used in error messages. */
export function decodeSafetensors(bytes: Uint8Array, name = 'safetensors file'): { tensors: Record<string, SafeTensor>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new DataFormatError(`${name}: ${bytes.length} bytes is too short for a safetensors header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(Math.min(MAX_HEADER, bytes.length - 8))) throw new DataFormatError(`${name}: header length ${n} exceeds the file (${bytes.length} bytes)`);
  const headerLength = Number(n);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    throw new DataFormatError(`${name}: the header is not valid JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new DataFormatError(`${name}: the header is not a JSON object`);
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: Array<{ key: string; dtype: SafeDType; shape: number[]; begin: number; end: number }> = [];
  for (const [key, value] of Object.entries(header as Record<string, unknown>)) {
    if (key === '__metadata__') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DataFormatError(`${name}: __metadata__ is not an object`);
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string') throw new DataFormatError(`${name}: __metadata__.${k} is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    const e = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e !== 'object' || e === null) throw new DataFormatError(`${name}: tensor ${key} is not an object`);
    if (e.dtype !== 'F32' && e.dtype !== 'F64') throw new DataFormatError(`${name}: tensor ${key} has dtype ${JSON.stringify(e.dtype)} (supported: F32, F64)`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new DataFormatError(`${name}: tensor ${key} has an invalid shape`);
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      throw new DataFormatError(`${name}: tensor ${key} has invalid data_offsets`);
    }
    const [begin, end] = offsets as [number, number];
    const count = (e.shape as number[]).reduce((a, b) => a * b, 1);
    if (end < begin || end > dataLength) throw new DataFormatError(`${name}: tensor ${key} data_offsets [${begin}, ${end}] lie outside the ${dataLength} data bytes`);
    if (end - begin !== count * ITEM_SIZE[e.dtype]) throw new DataFormatError(`${name}: tensor ${key} has ${end - begin} bytes for shape [${(e.shape as number[]).join(', ')}] ${e.dtype}`);
    entries.push({ key, dtype: e.dtype, shape: e.shape as number[], begin, end });
  }
  entries.sort((a, b) => a.begin - b.begin);
  let expected = 0;
  for (const e of entries) {
    if (e.begin !== expected) throw new DataFormatError(`${name}: tensor ${e.key} starts at ${e.begin}, expected ${expected} (overlap or gap)`);
    expected = e.end;
  }
  if (expected !== dataLength) throw new DataFormatError(`${name}: ${dataLength - expected} data bytes belong to no tensor`);
  const tensors: Record<string, SafeTensor> = {};
  for (const e of entries) {
    // Copy into aligned buffers: the data may start at any byte.
    const raw = new Uint8Array(e.end - e.begin); // a fresh, aligned buffer (bytes may be a pooled Node Buffer)
    raw.set(bytes.subarray(dataStart + e.begin, dataStart + e.end));
    tensors[e.key] = { dtype: e.dtype, shape: e.shape, data: e.dtype === 'F32' ? new Float32Array(raw.buffer) : new Float64Array(raw.buffer) };
  }
  return { tensors, metadata };
}
