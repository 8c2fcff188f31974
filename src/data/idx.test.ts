import { describe, expect, it } from 'vitest';
import { DataFormatError, datasetFromIdx, decodeIdx, parseIdx } from './index.js';
import { makeIdx } from './testing.js';

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe('parseIdx', () => {
  it('reads the dimensions and the bytes', () => {
    const idx = parseIdx(makeIdx([2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    expect(idx.dims).toEqual([2, 2, 3]);
    expect(Array.from(idx.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('reads gzipped files too', async () => {
    const idx = await decodeIdx(await gzip(makeIdx([3], [7, 8, 9])));
    expect(idx.dims).toEqual([3]);
    expect(Array.from(idx.data)).toEqual([7, 8, 9]);
  });

  it.each([
    [new Uint8Array([0, 0, 8]), 'x: 3 bytes is too short for an IDX header'],
    [new Uint8Array([0x1f, 0x8b, 8, 1, 0, 0, 0, 1, 5]), 'x: not an IDX file (magic number starts with 0x1f8b, expected 0x0000)'],
    [Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]), 'x: IDX type 0x0d (float) is not supported (expected 0x08, unsigned bytes)'],
    [Uint8Array.from([0, 0, 8, 0]), 'x: 0 dimensions (expected 1 to 4)'],
    [Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 1]), 'x: truncated header (8 bytes, needs 16)'],
    [makeIdx([2, 3], [1, 2, 3, 4, 5, 6]).subarray(0, 13), 'x: truncated: dimensions [2, 3] need 18 bytes, the file has 13'],
    [Uint8Array.from([...makeIdx([2], [1, 2]), 9]), 'x: 1 unexpected bytes after the data'],
  ])('rejects malformed bytes with a clear message (%#)', (bytes, message) => {
    expect(() => parseIdx(bytes, 'x')).toThrow(DataFormatError);
    expect(() => parseIdx(bytes, 'x')).toThrow(message);
  });

  it('rejects corrupt gzip data', async () => {
    await expect(decodeIdx(new Uint8Array([0x1f, 0x8b, 1, 2, 3]), 'y')).rejects.toThrow(/y: corrupt gzip data/);
  });
});

describe('datasetFromIdx', () => {
  it('pairs images and labels and checks their counts', () => {
    const images = parseIdx(makeIdx([2, 1, 2], [0, 255, 128, 0]));
    const labels = parseIdx(makeIdx([2], [3, 7]));
    const ds = datasetFromIdx('tiny', images, labels);
    expect(ds).toMatchObject({ count: 2, rows: 1, cols: 2 });
    expect(() => datasetFromIdx('tiny', images, parseIdx(makeIdx([3], [1, 2, 3])))).toThrow('tiny: 2 images but 3 labels');
    expect(() => datasetFromIdx('tiny', labels, labels)).toThrow('tiny: images have 1 dimensions (expected 3: count, rows, cols)');
  });
});
