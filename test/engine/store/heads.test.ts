import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import { count, library, open, seed, tempDir } from './helpers.ts';

describe('store/heads', () => {
  it('one active per model, enforced by the schema too; delete cascades to codes', () => {
    const s = library();
    seed(s);
    S.putHead(s, {
      id: 'h32',
      kind: 'dghdgh',
      bits: 32,
      modelId: 'clip',
      dir: '/heads/h32',
      metrics: { map: 0.5 },
    });
    S.putHead(s, { id: 'x', kind: 'default', bits: 64, modelId: 'other', dir: '/heads/x' });
    expect(S.getActiveHead(s, 'clip')).toBeUndefined();
    expect(S.activateHead(s, 'h64')).toBe(true);
    expect(S.activateHead(s, 'h32')).toBe(true);
    expect(S.activateHead(s, 'x')).toBe(true);
    expect(S.activateHead(s, 'missing')).toBe(false);
    expect(S.getActiveHead(s, 'clip')?.id).toBe('h32');
    expect(S.getHead(s, 'h64')?.active).toBe(false);
    expect(S.getHead(s, 'h32')).toMatchObject({ bits: 32, metrics: { map: 0.5 }, active: true });
    expect(() => s.db.prepare("UPDATE heads SET active = 1 WHERE id = 'h64'").run()).toThrow(/UNIQUE/);
    S.setHeadMetrics(s, 'h64', { map: 0.7 });
    expect(S.getHead(s, 'h64')?.metrics).toEqual({ map: 0.7 });
    expect(
      S.listHeads(s, 'clip')
        .map((h) => h.id)
        .sort(),
    ).toEqual(['h32', 'h64']);
    expect(S.deleteHead(s, 'h64')).toBe(true);
    expect(count(s, 'codes')).toBe(0);
    expect(S.deleteHead(s, 'h64')).toBe(false);
  });

  it('hands out absolute folders under the library, wherever the library now is', () => {
    const dir = tempDir();
    const s = open(join(dir, 'glint.db'));
    S.putHead(s, { id: 'h', kind: 'default', bits: 64, modelId: 'm', dir: join(dir, 'heads', 'h') });
    expect(s.db.prepare("SELECT dir FROM heads WHERE id = 'h'").pluck().get()).toBe(join('heads', 'h'));
    expect(S.getHead(s, 'h')?.dir).toBe(join(dir, 'heads', 'h'));
  });

  it('stores a relative folder as given, and one outside the library (or the library itself) absolute', () => {
    const dir = tempDir();
    const s = open(join(dir, 'glint.db'));
    const stored = (id: string): unknown =>
      s.db.prepare('SELECT dir FROM heads WHERE id = ?').pluck().get(id);
    S.putHead(s, { id: 'rel', kind: 'default', bits: 16, modelId: 'm', dir: 'heads/rel' });
    S.putHead(s, { id: 'out', kind: 'default', bits: 16, modelId: 'm', dir: '/elsewhere/out' });
    S.putHead(s, { id: 'up', kind: 'default', bits: 16, modelId: 'm', dir: join(dir, '..', 'sibling') });
    S.putHead(s, { id: 'root', kind: 'default', bits: 16, modelId: 'm', dir });
    expect(stored('rel')).toBe(join('heads', 'rel'));
    expect(S.getHead(s, 'rel')?.dir).toBe(join(dir, 'heads', 'rel'));
    expect(stored('out')).toBe('/elsewhere/out');
    expect(stored('up')).toBe(join(dir, '..', 'sibling'));
    expect(stored('root')).toBe(dir);
    expect(S.getHead(s, 'root')?.dir).toBe(dir);
  });

  it('follows a moved library: the same row resolves under the new folder', () => {
    const dir = tempDir();
    const a = open(join(dir, 'a', 'glint.db'));
    S.putHead(a, { id: 'h', kind: 'default', bits: 64, modelId: 'm', dir: join(dir, 'a', 'heads', 'h') });
    a.close();
    renameSync(join(dir, 'a'), join(dir, 'b'));
    const b = open(join(dir, 'b', 'glint.db'));
    expect(S.getHead(b, 'h')?.dir).toBe(join(dir, 'b', 'heads', 'h'));
  });

  it('lists newest first (ties by id), keeps the active flag and creation time on update', () => {
    const s = library();
    S.putHead(s, { id: 'b', kind: 'dghdgh', bits: 16, modelId: 'm', dir: '/h/b', createdAt: 10 });
    S.putHead(s, { id: 'a', kind: 'dghdgh', bits: 16, modelId: 'm', dir: '/h/a', createdAt: 10 });
    S.putHead(s, { id: 'c', kind: 'dghdgh', bits: 16, modelId: 'n', dir: '/h/c', createdAt: 30 });
    expect(S.listHeads(s).map((h) => h.id)).toEqual(['c', 'a', 'b']);
    expect(S.listHeads(s, 'm').map((h) => h.id)).toEqual(['a', 'b']);
    S.activateHead(s, 'a');
    S.putHead(s, { id: 'a', kind: 'default', bits: 32, modelId: 'm', dir: '/h/a2', createdAt: 20 });
    expect(S.getHead(s, 'a')).toEqual({
      id: 'a',
      kind: 'default',
      bits: 32,
      modelId: 'm',
      dir: '/h/a2',
      createdAt: 20,
      active: true,
      metrics: undefined,
    });
    expect(S.listHeads(s).map((h) => h.id)).toEqual(['c', 'a', 'b']);
    // Activating the already active head keeps it active.
    expect(S.activateHead(s, 'a')).toBe(true);
    expect(S.getActiveHead(s, 'm')?.id).toBe('a');
  });
});
