import { describe, expect, it } from 'vitest';
import { SerialQueue } from '../../src/engine/serial-queue.ts';

describe('SerialQueue', () => {
  it('runs jobs one at a time in order, a failure not stopping the next, and idle waits for all', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const job =
      (name: string, ms: number, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const a = queue.run(job('a', 20));
    const b = queue.run(job('b', 5, true));
    const c = queue.run(job('c', 1));
    await expect(a).resolves.toBe('a');
    await expect(b).rejects.toThrow('b');
    await queue.idle();
    await expect(c).resolves.toBe('c');
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });
});
