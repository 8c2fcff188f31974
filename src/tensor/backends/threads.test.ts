import { describe, expect, it } from 'vitest';
import { claimChunk } from './threads.js';

describe('claimChunk: the main thread claims from the front, workers from the back', () => {
  it('hands out every chunk once, each end keeping its side, until the ends meet', () => {
    for (const total of [1, 2, 7, 12, 4095]) {
      const word = new Int32Array(new SharedArrayBuffer(4));
      word[0] = 200 << 24;
      const front: number[] = [];
      const back: number[] = [];
      // Claims in an uneven interleaving: two from the back for each one from the front.
      for (let turn = 0; ; turn++) {
        const fromBack = turn % 3 !== 0;
        const c = claimChunk(word, total, fromBack, 200);
        if (c < 0) break;
        (fromBack ? back : front).push(c);
      }
      expect([...front, ...back].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
      expect(front).toEqual([...front].sort((a, b) => a - b));
      expect(back).toEqual([...back].sort((a, b) => b - a));
      if (front.length > 0 && back.length > 0) expect(Math.max(...front)).toBeLessThan(Math.min(...back));
      expect(claimChunk(word, total, false, 200)).toBe(-1);
      expect(claimChunk(word, total, true, 200)).toBe(-1);
    }
  });

  it('hands nothing out for an earlier kernel: a worker that reaches a split kernel late finds it done', () => {
    const word = new Int32Array(new SharedArrayBuffer(4));
    word[0] = 7 << 24;
    expect(claimChunk(word, 5, true, 6)).toBe(-1);
    expect(word[0]).toBe(7 << 24);
    expect(claimChunk(word, 5, true, 7)).toBe(4);
  });
});
