import { MIN_TAGGED_PHOTOS, MIN_TAGS } from '../../../contract/limits.ts';
import { GlintError } from '../../errors.ts';
import type { HeadRecord } from '../../store/index.ts';
import { lastRunView } from '../training-runner.ts';
import { headView } from '../views.ts';
import type { HandlerSet, HandlerTable } from './handler-table.ts';
import type { HostContext } from './host-context.ts';

type TrainingMethods =
  'trainingInfo' | 'startTraining' | 'cancelTraining' | 'listHeads' | 'activateHead' | 'rollbackHead';

/** The retraining and head handlers: whether retraining can run, runs, and which head is active. */
export function trainingHandlers({
  engine,
  emit,
  training,
  settings,
}: HostContext): HandlerSet<TrainingMethods> {
  const headRecord = (id: string): HeadRecord => {
    const head = engine.heads.list().find((h) => h.id === id);
    if (!head) throw new GlintError('not-found', `There is no head ${id} any more.`);
    return head;
  };
  return {
    trainingInfo: () => {
      const { tags, taggedPhotos } = engine.tags.summary();
      const reason =
        taggedPhotos < MIN_TAGGED_PHOTOS || tags.length < MIN_TAGS
          ? `Tag at least ${MIN_TAGGED_PHOTOS} photos with at least ${MIN_TAGS} different tags (now ${taggedPhotos} tagged photos, ${tags.length} tags).`
          : undefined;
      const lastRun = lastRunView(engine.heads.lastRun(), engine.heads.list());
      return {
        available: reason === undefined,
        ...(reason === undefined ? {} : { reason }),
        taggedPhotos,
        tags: tags.map((t) => ({ name: t.name, count: t.count })),
        sinceLastTraining: engine.suggestions.sinceLastTraining(),
        ...(lastRun ? { lastRun } : {}),
      };
    },
    startTraining: (req) => {
      const { bits, device } = settings();
      training.start(req ?? {}, { bits, device });
      return { started: true };
    },
    cancelTraining: () => {
      if (!training.cancel()) throw new GlintError('not-found', 'No retraining run is in progress.');
      return null;
    },
    listHeads: () => engine.heads.list().map(headView),
    activateHead: async ({ id }) => {
      const head = await engine.heads.activate(id);
      emit({ type: 'library-changed' });
      return headView(headRecord(head.id));
    },
    rollbackHead: async () => {
      const head = await engine.heads.rollback();
      emit({ type: 'library-changed' });
      return headView(headRecord(head.id));
    },
  };
}

/** Registers the retraining and head handlers. */
export function registerTraining(table: HandlerTable, ctx: HostContext): void {
  table.register(trainingHandlers(ctx));
}
