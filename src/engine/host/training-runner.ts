/**
 * Retraining from the app: one run at a time on the shared job queue, progress as `train-progress`
 * events, the outcome as `train-done` or `train-failed`, cancel through an AbortSignal.
 */
import type { GlintEvent, LastTrainingRun, TrainingRequest, TrainStageView } from '../../contract/api.ts';
import type { LastRunRecord, LastRunStage } from '../train/last-run.ts';
import type { StageOutcome } from '../train/library-training.ts';
import type { HeadRecord } from '../store/index.ts';
import type { Engine } from '../engine.ts';
import { GlintError, errorMessage } from '../errors.ts';
import { headView } from './views.ts';
import type { SerialQueue } from '../serial-queue.ts';

// NOTE: step events are throttled to five a second; every epoch event is sent (the loss curves' points).
const STEP_EVERY_MS = 200;

/** A stage's outcome for the UI: its head, whether it was activated, and the validation mAP before / after. */
function stageView(o: StageOutcome): TrainStageView {
  return {
    head: headView(o.head),
    activated: o.activated,
    before: o.validation.active.map,
    after: o.validation.trained.map,
  };
}

/**
 * The stored last run for the UI, its heads as they are now (active or not); undefined when a head it names
 * is gone (e.g. the library moved to another model, whose heads are listed instead).
 */
export function lastRunView(
  rec: LastRunRecord | undefined,
  heads: readonly HeadRecord[],
): LastTrainingRun | undefined {
  if (!rec) return undefined;
  const stage = (s: LastRunStage): TrainStageView | undefined => {
    const head = heads.find((h) => h.id === s.headId);
    return head && { head: headView(head), activated: s.activated, before: s.before, after: s.after };
  };
  const final = stage(rec.final);
  const quick = rec.quick && stage(rec.quick);
  if (!final || (rec.quick && !quick)) return undefined;
  const { finishedAt, epochs, photos, heldOut } = rec;
  return { finishedAt, epochs, photos, heldOut, ...(quick ? { quick } : {}), final };
}

/** Starts, reports and cancels retraining runs. */
export class TrainingRunner {
  private readonly engine: Engine;
  private readonly queue: SerialQueue;
  private readonly emit: (event: GlintEvent) => void;
  private readonly now: () => number;
  private controller: AbortController | undefined;
  private run: Promise<void> | undefined;

  constructor(engine: Engine, queue: SerialQueue, emit: (event: GlintEvent) => void, now: () => number) {
    this.engine = engine;
    this.queue = queue;
    this.emit = emit;
    this.now = now;
  }

  /** Whether a run is in progress. */
  get running(): boolean {
    return this.run !== undefined;
  }

  /** Starts a run in the background; GlintError when one runs already. */
  start(
    req: TrainingRequest,
    defaults: { bits: TrainingRequest['bits']; device: TrainingRequest['device'] },
  ): void {
    if (this.run)
      throw new GlintError('busy', 'A retraining run is already in progress: wait for it or cancel it.');
    const controller = new AbortController();
    this.controller = controller;
    let lastStep = 0;
    const bits = req.bits ?? defaults.bits;
    const device = req.device ?? defaults.device;
    this.run = this.queue
      .run(() =>
        this.engine.heads.train({
          ...(bits === undefined ? {} : { bits }),
          ...(device === undefined ? {} : { device }),
          ...(req.epochs === undefined ? {} : { epochs: req.epochs }),
          signal: controller.signal,
          onNotice: (message) => this.emit({ type: 'notice', message }),
          onPhase: (phase) => this.emit({ type: 'train-phase', phase }),
          onStage: (o) => {
            if (o.stage === 'quick')
              this.emit({ type: 'train-stage', stage: 'quick', outcome: stageView(o) });
          },
          onProgress: (p) => {
            const t = this.now();
            // An epoch's last step is followed by its epoch event (the mean losses), so it is not sent twice.
            if (p.kind === 'step' && (p.step >= p.steps || t - lastStep < STEP_EVERY_MS)) return;
            if (p.kind === 'step') lastStep = t;
            const event: GlintEvent = {
              type: 'train-progress',
              epoch: p.epoch,
              epochs: p.epochs,
              step: p.step,
              steps: p.steps,
              losses: { ...(p.losses as unknown as Record<string, number>) },
            };
            if (p.valMap !== undefined) event.valMap = p.valMap;
            this.emit(event);
          },
        }),
      )
      .then(
        () => {
          // The run saved its record (last-run.ts): the event carries exactly what trainingInfo serves next.
          const run = lastRunView(this.engine.heads.lastRun(), this.engine.heads.list());
          if (run) this.emit({ type: 'train-done', run });
          else
            this.emit({
              type: 'train-failed',
              error: {
                code: 'internal',
                message: 'Retraining finished but its result could not be read back.',
              },
            });
        },
        (err: unknown) => {
          const error =
            err instanceof GlintError
              ? { code: err.code, message: err.message }
              : { code: 'internal', message: `Retraining failed: ${errorMessage(err)}` };
          this.emit({ type: 'train-failed', error });
        },
      )
      .finally(() => {
        this.run = undefined;
        this.controller = undefined;
        this.emit({ type: 'library-changed' });
      });
  }

  /** Asks the running run to stop (it ends with `train-failed`, code 'cancelled'); false when none runs. */
  cancel(): boolean {
    if (!this.controller) return false;
    this.controller.abort();
    return true;
  }

  /** Resolves when no run is in progress. */
  async idle(): Promise<void> {
    while (this.run) await this.run;
  }
}
