import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../data/idx.js';
import { decodeSafetensors, encodeSafetensors } from './index.js';

function withHeader(header: unknown, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors', () => {
  it('round-trips tensors and metadata, with an 8-byte aligned header', () => {
    const bytes = encodeSafetensors(
      { w: { dtype: 'F32', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }, b: { dtype: 'F64', shape: [2], data: Float64Array.from([0.5, -1]) } },
      { note: 'hello', architecture: '{"inputs":3}' },
    );
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ note: 'hello', architecture: '{"inputs":3}' });
    expect(tensors.w!.shape).toEqual([2, 3]);
    expect(Array.from(tensors.w!.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tensors.b!.data).toBeInstanceOf(Float64Array);
    expect(Array.from(tensors.b!.data)).toEqual([0.5, -1]);
  });

  it('writes the layout of the format: header length, JSON, little-endian data', () => {
    const bytes = encodeSafetensors({ x: { dtype: 'F32', shape: [1], data: Float32Array.from([1]) } });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header).toEqual({ x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } });
    expect(Array.from(bytes.subarray(8 + n))).toEqual([0, 0, 0x80, 0x3f]); // 1.0f little-endian
  });

  const f32 = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);
  it.each([
    [new Uint8Array(5), '5 bytes is too short'],
    [(() => { const b = new Uint8Array(16); new DataView(b.buffer).setBigUint64(0, 1000n, true); return b; })(), 'header length 1000 exceeds the file'],
    [(() => { const b = withHeader({}); b[8] = 0x7b; b[9] = 0x7b; return b; })(), 'the header is not valid JSON'],
    [withHeader([1, 2]), 'the header is not a JSON object'],
    [withHeader({ x: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8)), 'tensor x has dtype "I64" (supported: F32, F64)'],
    [withHeader({ x: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, f32([1])), 'tensor x has an invalid shape'],
    [withHeader({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, f32([1])), 'tensor x data_offsets [0, 8] lie outside the 4 data bytes'],
    [withHeader({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, f32([1])), 'tensor x has 4 bytes for shape [2] F32'],
    [withHeader({ x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, y: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32([1, 2])), 'overlap or gap'],
    [withHeader({ x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32([1, 2])), '4 data bytes belong to no tensor'],
    [withHeader({ __metadata__: { a: 1 } }), '__metadata__.a is not a string'],
  ])('rejects a malformed file before reading it (%#)', (bytes, message) => {
    expect(() => decodeSafetensors(bytes, 'm')).toThrow(DataFormatError);
    expect(() => decodeSafetensors(bytes, 'm')).toThrow(message);
  });
});
