/**
 * The IDX format of MNIST (LeCun et al.): a 4-byte magic number (two zero bytes, a type code, the
 * number of dimensions), the dimensions as big-endian 32-bit integers, then the values. Every
 * field is checked against the byte length before anything is read; only unsigned bytes (type
 * 0x08) are accepted, which is what MNIST and Fashion-MNIST use.
 */

/** A malformed or truncated data file. */
export class DataFormatError extends Error {
  override readonly name = 'DataFormatError';
}

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const TYPE_NAMES: Record<number, string> = { 0x08: 'unsigned byte', 0x09: 'signed byte', 0x0b: 'short', 0x0c: 'int', 0x0d: 'float', 0x0e: 'double' };

/** Parses raw (not gzipped) IDX bytes. `name` is used in error messages. */
export function parseIdx(bytes: Uint8Array, name = 'IDX file'): IdxArray {
  if (bytes.length < 4) throw new DataFormatError(`${name}: ${bytes.length} bytes is too short for an IDX header`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataFormatError(`${name}: not an IDX file (magic number starts with 0x${hex(bytes[0]!)}${hex(bytes[1]!)}, expected 0x0000)`);
  }
  const type = bytes[2]!;
  if (type !== 0x08) throw new DataFormatError(`${name}: IDX type 0x${hex(type)} (${TYPE_NAMES[type] ?? 'unknown'}) is not supported (expected 0x08, unsigned bytes)`);
  const rank = bytes[3]!;
  if (rank < 1 || rank > 4) throw new DataFormatError(`${name}: ${rank} dimensions (expected 1 to 4)`);
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) throw new DataFormatError(`${name}: truncated header (${bytes.length} bytes, needs ${headerLength})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    if (d > 2 ** 28) throw new DataFormatError(`${name}: dimension ${i} is ${d} (implausibly large)`);
    dims.push(d);
    count *= d;
  }
  if (count > 2 ** 31) throw new DataFormatError(`${name}: ${count} values is too many`);
  const expected = headerLength + count;
  if (bytes.length < expected) throw new DataFormatError(`${name}: truncated: dimensions [${dims.join(', ')}] need ${expected} bytes, the file has ${bytes.length}`);
  if (bytes.length > expected) throw new DataFormatError(`${name}: ${bytes.length - expected} unexpected bytes after the data`);
  return { dims, data: bytes.subarray(headerLength, expected) };
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Gunzips with the standard DecompressionStream (in Node 18+ and every current browser). */
export async function gunzip(bytes: Uint8Array, name = 'file'): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new DataFormatError(`${name}: corrupt gzip data (${(error as Error).message})`);
  }
}

/** Parses IDX bytes that may be gzipped. */
export async function decodeIdx(bytes: Uint8Array, name = 'IDX file'): Promise<IdxArray> {
  return parseIdx(isGzip(bytes) ? await gunzip(bytes, name) : bytes, name);
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}
