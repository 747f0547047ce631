import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { confirmAbsent, listFolderNow, type FolderListing } from '../../../src/engine/ingest/absence.ts';

/** A listing function over a hand-written map of folders (anything else is missing). */
const listings =
  (map: Record<string, FolderListing>) =>
  (dir: string): FolderListing =>
    map[dir] ?? 'missing';
const read = (dev: number, ...names: string[]): FolderListing => ({ dev, names: new Set(names) });

describe('confirmAbsent', () => {
  it('confirms a file missing from a folder that was read on its own device', async () => {
    const list = listings({ '/lib': read(1, 'a'), '/lib/a': read(1, 'x.jpg') });
    expect(await confirmAbsent('/lib/a/y.jpg', 1, '/lib', list)).toBe(true);
    // Its whole subfolder deleted: the nearest folder that exists was read and lacks it.
    expect(await confirmAbsent('/lib/b/c/z.jpg', 1, '/lib', list)).toBe(true);
    // A file indexed before devices were recorded.
    expect(await confirmAbsent('/lib/a/y.jpg', null, '/lib', list)).toBe(true);
  });

  it('keeps a file whose folder could not be read, whose root is missing, or whose drive is not mounted', async () => {
    expect(
      await confirmAbsent(
        '/lib/a/y.jpg',
        1,
        '/lib',
        listings({ '/lib': read(1, 'a'), '/lib/a': 'unreadable' }),
      ),
    ).toBe('unreadable');
    expect(await confirmAbsent('/lib/a/y.jpg', 1, '/lib', listings({}))).toBe('root-missing');
    // The mount point is there but empty, on the parent's device: the drive is not mounted.
    const unmounted = listings({ '/lib': read(1, 'usb'), '/lib/usb': read(1) });
    expect(await confirmAbsent('/lib/usb/y.jpg', 7, '/lib', unmounted)).toBe('other-device');
  });

  it('keeps a file whose path is listed but was not walked (a folder reached through a link, say)', async () => {
    const list = listings({ '/lib': read(1, 'a') });
    expect(await confirmAbsent('/lib/a/y.jpg', 1, '/lib', list)).toBe('present');
  });
});

describe('listFolderNow', () => {
  const root = mkdtempSync(join(tmpdir(), 'glint-absence-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('lists a real folder with its device, and tells missing from a file in the way', async () => {
    mkdirSync(join(root, 'photos'));
    writeFileSync(join(root, 'photos', 'a.jpg'), 'x');
    const listing = await listFolderNow(join(root, 'photos'));
    expect(listing).toMatchObject({ names: new Set(['a.jpg']) });
    expect(typeof (listing as { dev: number }).dev).toBe('number');
    expect(await listFolderNow(join(root, 'nope'))).toBe('missing');
    expect(await listFolderNow(join(root, 'photos', 'a.jpg'))).toBe('missing');
  });
});
