import type {
  GlintEvent,
  HeadView,
  LastTrainingRun,
  TrainingInfo,
  TrainingRequest,
  TrainPhaseView,
  TrainStageView,
} from '../../../contract/api.ts';
import { epochsProblem } from '../../../contract/epochs.ts';
import { formatDate } from '../lib/format.ts';
import { phaseText, progressText } from '../lib/train-words.ts';
import type { Point } from '../lib/chart.ts';
import { settle } from './result.ts';
import { ViewState } from './view-state.ts';

type TrainProgress = Extract<GlintEvent, { type: 'train-progress' }>;

/** The Retrain view: what training would use, a running job's live curves, the result, and the heads. */
export class RetrainState extends ViewState {
  info = $state.raw<TrainingInfo | null>(null);
  heads = $state.raw<HeadView[]>([]);
  bits = $state<NonNullable<TrainingRequest['bits']>>(64);
  /** What the Epochs field holds: a number, or null / undefined when it is empty. */
  epochs = $state<number | null | undefined>(20);
  running = $state(false);
  starting = $state(false);
  progress = $state.raw<TrainProgress | null>(null);
  /** What the run does now outside its training steps (cleared by the next step); shown at once. */
  phase = $state.raw<TrainPhaseView | null>(null);
  /** Phases and steps in the order they came, as the words shown (the latest last; a few dozen at most). */
  log = $state.raw<string[]>([]);
  /** One series per loss name, x = fractional epoch. */
  losses = $state.raw<Record<string, Point[]>>({});
  valMap = $state.raw<Point[]>([]);
  /** The quick stage's validation points, kept apart once the full stage starts (its own curve, not a zig-zag). */
  quickValMap = $state.raw<Point[]>([]);
  /** The last finished run: this session's, or the one the library kept (trainingInfo's lastRun). */
  outcome = $state.raw<LastTrainingRun | null>(null);
  /** The quick plain-triplet stage, known (and maybe already active) while DGHDGH still trains. */
  quick = $state.raw<TrainStageView | null>(null);
  failure = $state<string | null>(null);

  /** Why the Epochs field's value cannot start a run ('' when it can), in the engine's own words. */
  epochsError = $derived.by(() => {
    const problem = epochsProblem(this.epochs);
    return problem ? `Epochs ${problem}.` : '';
  });

  /** What the run does right now, in words: the latest phase or step ('' when no run is going). */
  nowLine = $derived.by(() => {
    if (!this.running && !this.starting) return '';
    if (this.phase) return phaseText(this.phase);
    return this.progress ? progressText(this.progress) : 'Starting the training job';
  });

  /** Whether Start may be pressed: enough tags, valid epochs, nothing starting or running. */
  canStart = $derived(Boolean(this.info?.available) && !this.epochsError && !this.starting && !this.running);

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
      // The kept result shows on load; a run this session started (or is running) is not replaced by it.
      if (!this.running && !this.starting && info.value.lastRun) {
        this.outcome = info.value.lastRun;
        this.quick = info.value.lastRun.quick ?? null;
      }
    } else if (info) {
      this.toasts.show(info.error.message, 'error');
    }
    const heads = await this.api.listHeads().catch(() => null);
    if (heads?.ok) this.heads = heads.value;
  }

  /** Starts a run with the chosen code length and epochs. */
  async start(device: 'cpu' | 'cuda' = 'cpu'): Promise<void> {
    const epochs = this.epochs;
    if (this.epochsError || typeof epochs !== 'number') {
      this.failure = this.epochsError;
      return;
    }
    this.starting = true;
    this.failure = null;
    this.outcome = null;
    this.quick = null;
    this.progress = null;
    this.phase = null;
    this.log = [];
    this.#lastKind = '';
    this.#stage = undefined;
    this.quickValMap = [];
    this.losses = {};
    this.valMap = [];
    const res = await this.api.startTraining({ bits: this.bits, epochs, device }).catch(() => null);
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
    if (head) this.toasts.show(`Search now uses the version trained ${formatDate(head.createdAt)}.`);
    await this.refresh();
  }

  /** Goes back to the previously active head. */
  async rollback(): Promise<void> {
    const head = await settle(this.api.rollbackHead(), this.toasts);
    if (head) this.toasts.show(`Went back to the version trained ${formatDate(head.createdAt)}.`);
    await this.refresh();
  }

  /** Folds a training event into the curves and the outcome. */
  onEvent(e: GlintEvent): void {
    if (e.type === 'train-phase') {
      this.running = true;
      if (e.phase.stage === 'dghdgh' && this.#stage === 'quick') {
        // The full stage begins: its epochs count from 1 again, so its curves start afresh.
        this.quickValMap = this.valMap;
        this.valMap = [];
        this.losses = {};
      }
      if (e.phase.stage) this.#stage = e.phase.stage;
      this.phase = e.phase;
      this.#note(phaseText(e.phase), e.phase.phase);
    } else if (e.type === 'train-progress') {
      this.running = true;
      this.phase = null;
      this.progress = e;
      this.#note(progressText(e), e.valMap === undefined ? 'step' : 'epoch');
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
      this.phase = null;
      this.outcome = e.run;
      if (e.run.quick) this.quick = e.run.quick;
      void this.refresh();
    } else if (e.type === 'train-failed') {
      this.running = false;
      this.phase = null;
      this.failure = e.error.message;
    }
  }

  #lastKind = '';
  #stage: TrainPhaseView['stage'];

  /** Adds a line to the log; a phase counting N of M (or the next step) replaces its own previous line. */
  #note(line: string, kind: string): void {
    const same = kind === this.#lastKind && kind !== 'checking-epoch';
    this.#lastKind = kind;
    // NOTE: the log keeps the last 40 lines: enough to read back what happened, bounded for long runs.
    this.log = [...(same ? this.log.slice(0, -1) : this.log), line].slice(-40);
  }
}
