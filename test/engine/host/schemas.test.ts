import { describe, expect, it } from 'vitest';
import { FROM_AFTER_TO, REQUEST_SCHEMAS, describeIssues } from '../../../src/engine/host/schemas.ts';

describe('request schemas', () => {
  it('refuse a date range whose From is after its To, in search and the timeline, saying so', () => {
    for (const schema of [REQUEST_SCHEMAS.search, REQUEST_SCHEMAS.timeline]) {
      const bad = schema.safeParse({ filters: { from: 2000, to: 1000 } });
      expect(bad.success).toBe(false);
      if (!bad.success) expect(describeIssues(bad.error)).toBe(`filters.from: ${FROM_AFTER_TO}`);
      expect(schema.safeParse({ filters: { from: 1000, to: 1000 } }).success).toBe(true);
      expect(schema.safeParse({ filters: { from: 1000 } }).success).toBe(true);
      expect(schema.safeParse({ filters: { to: 1000 } }).success).toBe(true);
    }
  });

  it('take a timeline page: order, offset and limit, bounded; nothing else', () => {
    const t = REQUEST_SCHEMAS.timeline;
    expect(t.safeParse({}).success).toBe(true);
    expect(
      t.safeParse({ order: 'oldest', offset: 100, limit: 500, filters: { tags: ['dog'] } }).success,
    ).toBe(true);
    expect(t.safeParse({ order: 'sideways' }).success).toBe(false);
    expect(t.safeParse({ offset: -1 }).success).toBe(false);
    expect(t.safeParse({ limit: 0 }).success).toBe(false);
    expect(t.safeParse({ limit: 100_001 }).success).toBe(false);
    expect(t.safeParse({ cursor: 'x' }).success).toBe(false);
  });

  it('refuse epochs outside 1–500 or not whole, in the words `glint train` and the Retrain view use', () => {
    const t = REQUEST_SCHEMAS.startTraining;
    expect(t.safeParse({ epochs: 1 }).success).toBe(true);
    expect(t.safeParse({ epochs: 500, bits: 16 }).success).toBe(true);
    expect(t.safeParse(undefined).success).toBe(true);
    for (const [epochs, shown] of [
      [0, '0'],
      [-5, '-5'],
      [2.5, '2.5'],
      [501, '501'],
      ['ten', '"ten"'],
      [null, 'nothing'],
    ] as const) {
      const bad = t.safeParse({ epochs });
      expect(bad.success).toBe(false);
      if (!bad.success)
        expect(describeIssues(bad.error)).toBe(
          `epochs: must be a whole number from 1 to 500 (each epoch is one pass over your tagged photos); you gave ${shown}`,
        );
    }
    const text = t.safeParse({ epochs: '20' });
    expect(text.success || describeIssues(text.error)).toBe('epochs: must be a number, not the text "20"');
  });
});
