import { describe, expect, it } from 'vitest';
import { createKernel, KERNEL_WASM } from '../../../src/engine/hash/hamming-kernel.ts';

function fill(mem: WebAssembly.Memory, codesPtr: number, words: number, seed: number): void {
  const u32 = new Uint32Array(mem.buffer, codesPtr, words * 2);
  let s = seed;
  for (let i = 0; i < u32.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    u32[i] = s;
  }
}

describe('hamming kernels', () => {
  it('the hand-assembled module is valid and small', () => {
    expect(WebAssembly.validate(KERNEL_WASM)).toBe(true);
    expect(KERNEL_WASM.length).toBeLessThan(1024);
  });

  it('wasm scan/collect match the JS kernel (odd sizes, every cut, 1 and 2 words)', () => {
    for (const W of [1, 2] as const) {
      for (const n of [0, 1, 3, 4, 5, 7, 8, 9, 1000, 4099]) {
        const mem = new WebAssembly.Memory({ initial: 2 });
        const codes = 0;
        const dist = 8 * W * 4100 + 8;
        const hist = dist + 4112;
        const out = hist + 1024;
        fill(mem, codes, n * W, n * 31 + W);
        const results = (['wasm', 'js'] as const).map((kind) => {
          const k = createKernel(mem, kind);
          expect(k.kind).toBe(kind);
          new Uint32Array(mem.buffer, hist, 129).fill(0);
          // Garbage past n in the dist region must not be collected.
          new Uint8Array(mem.buffer, dist, 4112).fill(0);
          k.scan(codes, n, W, -0x123456789abcdefn, 0x0fedcba987654321n, dist, hist);
          const d = new Uint8Array(mem.buffer, dist, n).slice();
          const h = new Uint32Array(mem.buffer, hist, 129).slice();
          const collected: number[][] = [];
          const within: number[][] = [];
          for (const cut of [0, 20, 28, 31, 32, 40, 64, 70, 126, 127, 128]) {
            const c = k.collect(dist, n, cut, out);
            collected.push([...new Uint32Array(mem.buffer, out, c)]);
            // The fused pass must find exactly the same slots from the codes alone.
            new Uint32Array(mem.buffer, out, n).fill(0xdeadbeef);
            const w = k.within(codes, n, W, -0x123456789abcdefn, 0x0fedcba987654321n, cut, out);
            within.push([...new Uint32Array(mem.buffer, out, w)]);
          }
          expect(within).toEqual(collected);
          return { d, h, collected };
        });
        const [wasm, js] = results as [(typeof results)[0], (typeof results)[0]];
        expect(wasm.d).toEqual(js.d);
        expect(wasm.h).toEqual(js.h);
        expect(wasm.collected).toEqual(js.collected);
        // And the JS kernel agrees with the definition.
        const want = [...js.d].map((_, i) => i).filter((i) => (js.d[i] as number) <= 32);
        expect(js.collected[4]).toEqual(want);
        expect(js.h.reduce((a, b) => a + b, 0)).toBe(n);
      }
    }
  });
});
