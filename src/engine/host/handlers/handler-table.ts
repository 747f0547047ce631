import type { z } from 'zod';
import { METHODS, type ApiResult, type ApiValue, type MethodName } from '../../../contract/api.ts';
import { REQUEST_SCHEMAS, describeIssues, type RequestOf } from '../schemas.ts';

/** One method's implementation: its validated request in, its contract value out. */
export type Impl<M extends MethodName> = (req: RequestOf<M>) => Promise<ApiValue<M>> | ApiValue<M>;

/** A plain set of implementations for some of the contract's methods (one feature's handlers). */
export type HandlerSet<K extends MethodName> = { [M in K]: Impl<M> };

/** One method's handler as transports call it: any payload in, an ApiResult out. */
export type Handler = (payload?: unknown) => Promise<ApiResult<unknown>>;

/** Turns a thrown error into an expected failure (code and words for the user), or undefined for a bug. */
export type ErrorMapper = (thrown: unknown) => { code: string; message: string } | undefined;

/** An answer that is an expected failure. */
export function fail(code: string, message: string): ApiResult<never> {
  return { ok: false, error: { code, message } };
}

/** Whether a string names a contract method. */
export function isMethod(name: string): name is MethodName {
  return (METHODS as readonly string[]).includes(name);
}

/**
 * The host's handler table: features register their handler sets; each handler validates its payload
 * against its method's strict schema, runs the implementation and answers an ApiResult. Expected failures
 * are values; anything else (a bug) rejects.
 */
export class HandlerTable {
  private readonly table = new Map<MethodName, Handler>();
  private readonly mapError: ErrorMapper;

  constructor(mapError: ErrorMapper) {
    this.mapError = mapError;
  }

  /** Adds one feature's handlers (a method registered twice is a bug: one path per method). */
  register<K extends MethodName>(set: HandlerSet<K>): void {
    for (const method of Object.keys(set) as K[]) {
      if (this.table.has(method)) throw new Error(`${method} has two handlers`);
      this.table.set(method, this.handlerOf(method, set[method]));
    }
  }

  /** The handler registered for a method, if any. */
  handler(method: MethodName): Handler | undefined {
    return this.table.get(method);
  }

  /** Every contract method's handler; throws naming any method no feature registered. */
  complete(): Record<MethodName, Handler> {
    const missing = METHODS.filter((m) => !this.table.has(m));
    if (missing.length) throw new Error(`no handler for ${missing.join(', ')}`);
    const unreachable: Handler = () => Promise.reject(new Error('unregistered method'));
    return byMethod((m) => this.table.get(m) ?? unreachable);
  }

  private handlerOf<M extends MethodName>(method: M, run: Impl<M>): Handler {
    const schema: z.ZodType = REQUEST_SCHEMAS[method];
    return async (payload) => {
      const parsed = schema.safeParse(payload);
      if (!parsed.success)
        return fail('invalid-request', `Bad ${method} request: ${describeIssues(parsed.error)}`);
      try {
        // NOTE: TypeScript cannot correlate the schema table's union with M; each entry is M's own schema.
        return { ok: true, value: await run(parsed.data as RequestOf<M>) };
      } catch (thrown) {
        const expected = this.mapError(thrown);
        if (expected) return fail(expected.code, expected.message);
        throw thrown;
      }
    };
  }
}

/** A record with one entry per contract method (listed, so the type checks that none is missing). */
function byMethod(get: (method: MethodName) => Handler): Record<MethodName, Handler> {
  return {
    appInfo: get('appInfo'),
    status: get('status'),
    listFolders: get('listFolders'),
    addFolder: get('addFolder'),
    removeFolder: get('removeFolder'),
    folderRemovalPreview: get('folderRemovalPreview'),
    restoreFolder: get('restoreFolder'),
    reindex: get('reindex'),
    pauseIndexing: get('pauseIndexing'),
    resumeIndexing: get('resumeIndexing'),
    cancelIndexing: get('cancelIndexing'),
    pickFolder: get('pickFolder'),
    search: get('search'),
    timeline: get('timeline'),
    item: get('item'),
    listTags: get('listTags'),
    tagItems: get('tagItems'),
    untagItems: get('untagItems'),
    renameTag: get('renameTag'),
    mergeTags: get('mergeTags'),
    deleteTag: get('deleteTag'),
    undoTagChange: get('undoTagChange'),
    listTagChanges: get('listTagChanges'),
    listPlaces: get('listPlaces'),
    listErrors: get('listErrors'),
    reveal: get('reveal'),
    openExternal: get('openExternal'),
    trainingInfo: get('trainingInfo'),
    startTraining: get('startTraining'),
    cancelTraining: get('cancelTraining'),
    listHeads: get('listHeads'),
    activateHead: get('activateHead'),
    rollbackHead: get('rollbackHead'),
    getSettings: get('getSettings'),
    setSettings: get('setSettings'),
    modelsStatus: get('modelsStatus'),
    pullModels: get('pullModels'),
    sidecarStatus: get('sidecarStatus'),
    writeSidecars: get('writeSidecars'),
    listSuggestions: get('listSuggestions'),
    acceptSuggestions: get('acceptSuggestions'),
    rejectSuggestions: get('rejectSuggestions'),
    undoSuggestions: get('undoSuggestions'),
    acceptSuggestedTag: get('acceptSuggestedTag'),
  };
}
