import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GlintEvent } from '../../../../src/contract/api.ts';
import { GlintError } from '../../../../src/engine/errors.ts';
import { HandlerTable } from '../../../../src/engine/host/handlers/handler-table.ts';
import type { HostContext } from '../../../../src/engine/host/handlers/host-context.ts';
import { registerTags, tagsHandlers } from '../../../../src/engine/host/handlers/tags-handlers.ts';
import { TagsService } from '../../../../src/engine/services/tags-service.ts';
import * as S from '../../../../src/engine/store/index.ts';
import { open, tempDir } from '../../store/helpers.ts';

/** The tag handlers over a real TagsService on a real library file with two photos. */
function setup() {
  const store = open(join(tempDir(), 'library.db'));
  const folder = S.addFolder(store, '/lib');
  const ids = [0, 1].map((i) => {
    const f = S.upsertFile(store, { path: `/lib/p${i}.jpg`, folderId: folder.id, kind: 'photo' });
    return (S.replaceFileItems(store, f, [{ kind: 'photo', modality: 'image' }]) as [number])[0];
  }) as [number, number];
  const events: GlintEvent[] = [];
  // NOTE: the handlers use engine.tags and emit only; the rest of HostContext is not reached.
  const ctx = {
    engine: { tags: new TagsService({ store }) },
    emit: (e: GlintEvent) => events.push(e),
  } as unknown as HostContext;
  return { store, ids, events, ctx };
}

describe('tags handlers', () => {
  it('rename, merge, delete and undo, each telling the UI the library changed', async () => {
    const { ids, events, ctx } = setup();
    const h = tagsHandlers(ctx);
    await h.tagItems({ ids, tag: 'Places/Lisbon' });
    await h.tagItems({ ids: [ids[0]], tag: 'Lisboa' });
    expect(await h.renameTag({ from: 'Places', to: 'Travel' })).toEqual({
      token: expect.any(Number),
      kind: 'rename',
      summary: 'Renamed “Places” to “Travel”',
      photos: 2,
      metadataKept: 0,
      merged: false,
    });
    expect((await h.listTags(undefined)).map((t) => [t.name, t.parent, t.leaf])).toEqual([
      ['Travel/Lisbon', 'Travel', 'Lisbon'],
      ['Lisboa', null, 'Lisboa'],
    ]);
    expect(await h.mergeTags({ sources: ['Lisboa'], into: 'Travel/Lisbon' })).toMatchObject({ photos: 1 });
    const del = await h.deleteTag({ name: 'Travel' });
    expect(del).toMatchObject({ kind: 'delete', photos: 2 });
    expect((await h.listTagChanges(undefined)).map((c) => c.token)).toEqual([
      del.token,
      del.token - 1,
      del.token - 2,
    ]);
    expect(await h.undoTagChange({})).toMatchObject({ token: del.token, summary: `Undid: ${del.summary}` });
    expect((await h.listTags(undefined)).map((t) => t.name)).toEqual(['Travel/Lisbon']);
    expect(events.filter((e) => e.type === 'library-changed')).toHaveLength(6);
  });

  it('refuse bad requests by schema and unknown tags in words', async () => {
    const { ctx } = setup();
    const table = new HandlerTable((thrown) =>
      thrown instanceof GlintError ? { code: thrown.code, message: thrown.message } : undefined,
    );
    registerTags(table, ctx);
    const call = (method: 'renameTag' | 'mergeTags' | 'undoTagChange' | 'deleteTag', req: unknown) =>
      table.handler(method)!(req);
    const handlers = {
      renameTag: (r: unknown) => call('renameTag', r),
      mergeTags: (r: unknown) => call('mergeTags', r),
      undoTagChange: (r: unknown) => call('undoTagChange', r),
      deleteTag: (r: unknown) => call('deleteTag', r),
    };
    expect(await handlers.renameTag({ from: 'a', to: '  ' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    expect(await handlers.mergeTags({ sources: [], into: 'x' })).toMatchObject({ ok: false });
    expect(await handlers.undoTagChange({ token: -1 })).toMatchObject({ ok: false });
    expect(await handlers.deleteTag({ name: 'nowhere' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No photo has the tag “nowhere”.' },
    });
  });
});
