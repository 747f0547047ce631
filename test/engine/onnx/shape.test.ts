import { describe, expect, it } from 'vitest';
import {
  broadcastShapes,
  concatShape,
  matMulShape,
  reduceShape,
  squeezeShape,
  transposeShape,
  unsqueezeShape,
} from '../../../src/engine/onnx/shape.ts';

describe('broadcastShapes', () => {
  it('follows numpy: align right, 1 stretches, missing leading dims count as 1', () => {
    expect(broadcastShapes([2, 3], [3])).toEqual([2, 3]);
    expect(broadcastShapes([4, 1, 5], [3, 1])).toEqual([4, 3, 5]);
    expect(broadcastShapes([], [2, 2])).toEqual([2, 2]);
    expect(broadcastShapes([1], [1])).toEqual([1]);
  });

  it('keeps symbolic dims: equal names stay, a fixed size wins over a name, different names are unknown', () => {
    expect(broadcastShapes(['batch', 3], [1, 3])).toEqual(['batch', 3]);
    expect(broadcastShapes(['batch', 3], ['batch', 1])).toEqual(['batch', 3]);
    expect(broadcastShapes(['n', 3], [5, 3])).toEqual([5, 3]);
    expect(broadcastShapes([5], ['n'])).toEqual([5]);
    expect(broadcastShapes(['a'], ['b'])).toEqual([null]);
    expect(broadcastShapes([null], [1])).toEqual([null]);
  });

  it('names the op in a static mismatch', () => {
    expect(() => broadcastShapes([2, 3], [4], 'Add')).toThrow('Add: cannot broadcast 3 with 4');
    expect(() => broadcastShapes([2], [3])).toThrow('broadcast: cannot broadcast 2 with 3');
  });
});

describe('matMulShape', () => {
  it('multiplies matrices and broadcasts batch dims', () => {
    expect(matMulShape([2, 3], [3, 4])).toEqual([2, 4]);
    expect(matMulShape(['batch', 512], [512, 64])).toEqual(['batch', 64]);
    expect(matMulShape([7, 1, 2, 3], [5, 3, 4])).toEqual([7, 5, 2, 4]);
  });

  it('promotes and squeezes 1-D operands', () => {
    expect(matMulShape([3], [3, 4])).toEqual([4]);
    expect(matMulShape([2, 3], [3])).toEqual([2]);
    expect(matMulShape([3], [3])).toEqual([]);
    expect(matMulShape([6, 2, 3], [3])).toEqual([6, 2]);
  });

  it('refuses different static inner dims but trusts a symbolic one', () => {
    expect(() => matMulShape([2, 3], [4, 5])).toThrow('MatMul: inner dimensions 3 and 4 differ');
    expect(matMulShape([2, 'k'], [3, 5])).toEqual([2, 5]);
  });
});

describe('layout shapes', () => {
  it('reduces given axes (negative allowed), or all, keeping dims as 1 when asked', () => {
    expect(reduceShape([2, 3, 4], [1], true)).toEqual([2, 1, 4]);
    expect(reduceShape([2, 3, 4], [-1], false)).toEqual([2, 3]);
    expect(reduceShape([2, 3, 4], undefined, false)).toEqual([]);
    expect(reduceShape([2, 3, 4], undefined, true)).toEqual([1, 1, 1]);
    expect(reduceShape([2, 3], [0, -1], false)).toEqual([]);
  });

  it('transposes by perm and checks its length', () => {
    expect(transposeShape(['b', 3, 4], [2, 0, 1])).toEqual([4, 'b', 3]);
    expect(() => transposeShape([2, 3], [0])).toThrow('Transpose: perm of length 1 for rank 2');
  });

  it('unsqueezes at positions of the output rank (negative allowed) and squeezes them back', () => {
    expect(unsqueezeShape([3, 4], [0])).toEqual([1, 3, 4]);
    expect(unsqueezeShape([3, 4], [1, 3])).toEqual([3, 1, 4, 1]);
    expect(unsqueezeShape([3, 4], [-1])).toEqual([3, 4, 1]);
    expect(squeezeShape([1, 3, 1, 4], [0, 2])).toEqual([3, 4]);
    expect(squeezeShape([3, 4, 1], [-1])).toEqual([3, 4]);
    expect(squeezeShape(unsqueezeShape(['n', 5], [0, 3]), [0, 3])).toEqual(['n', 5]);
  });

  it('concatenates by summing the axis, unknown when any part is symbolic', () => {
    expect(
      concatShape(
        [
          [2, 3],
          [4, 3],
        ],
        0,
      ),
    ).toEqual([6, 3]);
    expect(
      concatShape(
        [
          [2, 3],
          [2, 5],
          [2, 1],
        ],
        -1,
      ),
    ).toEqual([2, 9]);
    expect(
      concatShape(
        [
          ['n', 3],
          [2, 3],
        ],
        0,
      ),
    ).toEqual([null, 3]);
    expect(concatShape([[2, 3]], 1)).toEqual([2, 3]);
  });
});
