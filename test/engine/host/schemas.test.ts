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
});
