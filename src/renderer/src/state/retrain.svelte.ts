import type { GlintEvent, HeadView, TrainingInfo, TrainingRequest } from '../../../contract/api.ts';
import type { Point } from '../lib/chart.ts';
import { settle } from './result.ts';
import { ViewState } from './view-state.ts';

/** How a finished run compares with the head it would replace. */
export interface TrainOutcome {
  head: HeadView;
  activated: boolean;
  before: number;
  after: number;
}

type TrainProgress = Extract<GlintEvent, { type: 'train-progress' }>;

/** The Retrain view: what training would use, a running job's live curves, the result, and the heads. */
export class RetrainState extends ViewState {
  info = $state.raw<TrainingInfo | null>(null);
  heads = $state.raw<HeadView[]>([]);
  bits = $state<NonNullable<TrainingRequest['bits']>>(64);
  epochs = $state(20);
  running = $state(false);
  starting = $state(false);
  progress = $state.raw<TrainProgress | null>(null);
  /** One series per loss name, x = fractional epoch. */
  losses = $state.raw<Record<string, Point[]>>({});
  valMap = $state.raw<Point[]>([]);
  outcome = $state.raw<TrainOutcome | null>(null);
  /** The quick plain-triplet stage, known (and maybe already active) while DGHDGH still trains. */
  quick = $state.raw<TrainOutcome | null>(null);
  failure = $state<string | null>(null);

  /**
   * "12 new tags and 5 rejections since the last training — retraining will use them", once enough has
   * gathered since the active head was trained; '' before.
   */
  feedbackNote = $derived.by(() => {
    const f = this.info?.sinceLastTraining;
    if (!f?.enough) return '';
    const tags = `${f.tags.toLocaleString()} new tag${f.tags === 1 ? '' : 's'}`;
    const rejections = `${f.rejected.toLocaleString()} rejection${f.rejected === 1 ? '' : 's'}`;
    return `${tags} and ${rejections} since the last training — retraining will use them`;
  });

  fraction = $derived(
    this.progress
      ? Math.min(
          1,
          (this.progress.epoch - 1 + this.progress.step / Math.max(1, this.progress.steps)) /
            this.progress.epochs,
        )
      : 0,
  );

  /** Reloads the training summary and the heads. */
  async refresh(): Promise<void> {
    const info = await this.api.trainingInfo().catch(() => null);
    if (info?.ok) {
      this.info = info.value;
    } else if (info) {
      this.toasts.show(info.error.message, 'error');
    }
    const heads = await this.api.listHeads().catch(() => null);
    if (heads?.ok) this.heads = heads.value;
  }

  /** Starts a run with the chosen code length and epochs. */
  async start(device: 'cpu' | 'cuda' = 'cpu'): Promise<void> {
    this.starting = true;
    this.failure = null;
    this.outcome = null;
    this.quick = null;
    this.progress = null;
    this.losses = {};
    this.valMap = [];
    const res = await this.api
      .startTraining({ bits: this.bits, epochs: this.epochs, device })
      .catch(() => null);
    this.starting = false;
    if (res?.ok) {
      this.running = true;
    } else {
      this.failure = res ? res.error.message : 'The training job could not be started.';
    }
  }

  /** Stops the running job (the active head stays as it was); the run ends with its `train-failed` event. */
  async cancel(): Promise<void> {
    // NOTE: read the result here: `settle` gives null both for this method's success and for a failure.
    const res = await this.api.cancelTraining().catch(() => null);
    if (res?.ok) return;
    // The host has no run (it ended unseen): stop showing one.
    if (res?.error.code === 'not-found') this.running = false;
    this.toasts.show(res ? res.error.message : 'The training job could not be cancelled.', 'error');
  }

  /** Makes a head the one search uses. */
  async activate(id: string): Promise<void> {
    const head = await settle(this.api.activateHead({ id }), this.toasts);
    if (head) this.toasts.show(`Search now uses head ${head.id}.`);
    await this.refresh();
  }

  /** Goes back to the previously active head. */
  async rollback(): Promise<void> {
    const head = await settle(this.api.rollbackHead(), this.toasts);
    if (head) this.toasts.show(`Rolled back to head ${head.id}.`);
    await this.refresh();
  }

  /** Folds a training event into the curves and the outcome. */
  onEvent(e: GlintEvent): void {
    if (e.type === 'train-progress') {
      this.running = true;
      this.progress = e;
      const x = e.epoch - 1 + e.step / Math.max(1, e.steps);
      const next: Record<string, Point[]> = { ...this.losses };
      for (const [name, y] of Object.entries(e.losses)) next[name] = [...(next[name] ?? []), { x, y }];
      this.losses = next;
      if (e.valMap !== undefined) this.valMap = [...this.valMap, { x, y: e.valMap }];
    } else if (e.type === 'train-stage') {
      this.quick = e.outcome;
      // The quick head may be active now: the heads table should say so while DGHDGH trains.
      void this.refresh();
    } else if (e.type === 'train-done') {
      this.running = false;
      this.outcome = { head: e.head, activated: e.activated, before: e.before, after: e.after };
      if (e.quick) this.quick = e.quick;
      void this.refresh();
    } else if (e.type === 'train-failed') {
      this.running = false;
      this.failure = e.error.message;
    }
  }
}
