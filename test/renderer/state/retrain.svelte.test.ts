/**
 * RetrainState against a fake host: what training would use, starting a run, live curves from
 * progress events, the quick stage and the outcome, failures, cancel, activate and roll back.
 */
import { describe, expect, it } from 'vitest';
import type { GlintEvent, HeadView, LastTrainingRun, TrainingInfo } from '../../../src/contract/api.ts';
import { formatDate } from '../../../src/renderer/src/lib/format.ts';
import { RetrainState } from '../../../src/renderer/src/state/retrain.svelte.ts';
import { Toasts } from '../../../src/renderer/src/state/toasts.svelte.ts';
import { fail, fakeApi, flush, ok } from './fake-api.ts';

const head = (id: string, active = false): HeadView => ({
  id,
  kind: 'dghdgh',
  bits: 64,
  createdAt: 1,
  active,
});
const info: TrainingInfo = {
  available: true,
  taggedPhotos: 40,
  tags: [
    { name: 'dog', count: 25 },
    { name: 'beach', count: 15 },
  ],
};
const progress = (
  epoch: number,
  step: number,
  losses: Record<string, number>,
  valMap?: number,
): Extract<GlintEvent, { type: 'train-progress' }> => ({
  type: 'train-progress',
  epoch,
  epochs: 2,
  step,
  steps: 4,
  losses,
  ...(valMap === undefined ? {} : { valMap }),
});

function setup() {
  const host = fakeApi({
    trainingInfo: () => ok(info),
    listHeads: () => ok([head('h1', true)]),
    startTraining: () => ok({ started: true as const }),
    cancelTraining: () => ok(null),
    activateHead: ({ id }) => ok(head(id, true)),
    rollbackHead: () => ok(head('h0', true)),
  });
  const toasts = new Toasts();
  return { host, toasts, r: new RetrainState(host.api, toasts) };
}

describe('RetrainState', () => {
  it('loads what training would use and the heads', async () => {
    const { r, host } = setup();
    await r.refresh();
    expect(r.info).toEqual(info);
    expect(r.heads.map((h) => h.id)).toEqual(['h1']);
    expect(host.calls.map((c) => c.method)).toEqual(['trainingInfo', 'listHeads']);
  });

  it('says in a toast why the training summary could not be read, keeps the heads, and recovers', async () => {
    const { r, host, toasts } = setup();
    host.answers.trainingInfo = () => fail('internal', 'The library is locked.');
    await r.refresh();
    expect(toasts.list.map((t) => [t.kind, t.message])).toEqual([['error', 'The library is locked.']]);
    expect(r.heads).toHaveLength(1);

    host.answers.trainingInfo = () => ok(info);
    await r.refresh();
    expect(r.info).toEqual(info);
  });

  it('starts with the chosen bits, epochs and device, clearing the last run', async () => {
    const { r, host } = setup();
    r.onEvent(progress(1, 1, { hl: 1 }));
    r.onEvent({ type: 'train-failed', error: { code: 'internal', message: 'old failure' } });
    r.bits = 32;
    r.epochs = 5;
    const starting = r.start('cuda');
    expect(r.starting).toBe(true);
    expect(r.failure).toBeNull();
    expect(r.progress).toBeNull();
    expect(r.losses).toEqual({});
    await starting;
    expect(r.starting).toBe(false);
    expect(r.running).toBe(true);
    expect(host.calls.at(-1)).toEqual({
      method: 'startTraining',
      request: { bits: 32, epochs: 5, device: 'cuda' },
    });
  });

  it('shows why a run could not start, and a crashed call in words', async () => {
    const { r, host } = setup();
    host.answers.startTraining = () => fail('not-enough-tags', 'Tag at least 20 photos with 2 tags.');
    await r.start();
    expect(r.running).toBe(false);
    expect(r.failure).toBe('Tag at least 20 photos with 2 tags.');

    host.answers.startTraining = () => fail('busy', 'A retraining run is already in progress.');
    await r.start();
    expect(r.failure).toBe('A retraining run is already in progress.');

    host.answers.startTraining = () => Promise.reject(new Error('ipc closed'));
    await r.start();
    expect(r.running).toBe(false);
    expect(r.failure).toBe('The training job could not be started.');
  });

  it('draws one curve per loss at fractional epochs, the validation mAP, and the progress fraction', () => {
    const { r } = setup();
    expect(r.fraction).toBe(0);
    r.onEvent(progress(1, 2, { hl: 0.9, sp1: 0.4 }));
    expect(r.running).toBe(true);
    expect(r.fraction).toBeCloseTo(0.25);
    r.onEvent(progress(2, 4, { hl: 0.5, sp1: 0.2 }, 0.61));
    expect(r.fraction).toBe(1);
    expect(r.losses).toEqual({
      hl: [
        { x: 0.5, y: 0.9 },
        { x: 2, y: 0.5 },
      ],
      sp1: [
        { x: 0.5, y: 0.4 },
        { x: 2, y: 0.2 },
      ],
    });
    expect(r.valMap).toEqual([{ x: 2, y: 0.61 }]);
  });

  it('keeps the quick stage while DGHDGH trains, then the outcome, reloading the heads each time', async () => {
    const { r, host } = setup();
    r.onEvent(progress(1, 1, { hl: 1 }));
    const quick = { head: head('q1', true), activated: true, before: 0.4, after: 0.5 };
    r.onEvent({ type: 'train-stage', stage: 'quick', outcome: quick });
    expect(r.quick).toEqual(quick);
    expect(r.running).toBe(true);
    await flush();
    expect(host.calls.map((c) => c.method)).toEqual(['trainingInfo', 'listHeads']);

    const run: LastTrainingRun = {
      finishedAt: 5,
      epochs: 2,
      photos: 40,
      heldOut: 8,
      quick,
      final: { head: head('d1'), activated: false, before: 0.5, after: 0.48 },
    };
    r.onEvent({ type: 'train-done', run });
    expect(r.running).toBe(false);
    expect(r.outcome).toEqual(run);
    expect(r.quick).toEqual(quick);
    await flush();
    expect(host.calls.filter((c) => c.method === 'listHeads')).toHaveLength(2);
  });

  it('shows a failed run’s message', () => {
    const { r } = setup();
    r.onEvent(progress(1, 1, { hl: 1 }));
    r.onEvent({
      type: 'train-failed',
      error: { code: 'internal', message: 'Retraining failed: out of memory' },
    });
    expect(r.running).toBe(false);
    expect(r.failure).toBe('Retraining failed: out of memory');
    r.onEvent({ type: 'train-failed', error: { code: 'disk-full', message: 'The disk is full.' } });
    expect(r.failure).toBe('The disk is full.');
  });

  it('cancels a run: the host’s train-failed event (code cancelled) ends it', async () => {
    const { r, host, toasts } = setup();
    await r.start();
    await r.cancel();
    expect(host.calls.at(-1)?.method).toBe('cancelTraining');
    expect(r.running).toBe(true);
    expect(toasts.list).toEqual([]);
    r.onEvent({ type: 'train-failed', error: { code: 'cancelled', message: 'Training was cancelled.' } });
    expect(r.running).toBe(false);
    expect(r.failure).toBe('Training was cancelled.');
  });

  it('stops showing a run the host no longer has when Cancel is answered not-found', async () => {
    const { r, host, toasts } = setup();
    await r.start();
    host.answers.cancelTraining = () => fail('not-found', 'No retraining run is in progress.');
    await r.cancel();
    expect(r.running).toBe(false);
    expect(toasts.list.at(-1)).toMatchObject({ kind: 'error', message: 'No retraining run is in progress.' });
  });

  it('keeps showing the run when the cancel call itself failed', async () => {
    const { r, host, toasts } = setup();
    await r.start();
    host.answers.cancelTraining = () => Promise.reject(new Error('ipc closed'));
    await r.cancel();
    expect(r.running).toBe(true);
    expect(toasts.list.at(-1)).toMatchObject({
      kind: 'error',
      message: 'The training job could not be cancelled.',
    });
  });

  it('activates a head and rolls back, saying which head search uses, then reloads', async () => {
    const { r, host, toasts } = setup();
    await r.activate('h7');
    expect(host.calls.slice(0, 3)).toEqual([
      { method: 'activateHead', request: { id: 'h7' } },
      { method: 'trainingInfo', request: undefined },
      { method: 'listHeads', request: undefined },
    ]);
    expect(toasts.list.at(-1)?.message).toBe(`Search now uses the version trained ${formatDate(1)}.`);
    await r.rollback();
    expect(toasts.list.at(-1)?.message).toBe(`Went back to the version trained ${formatDate(1)}.`);

    host.answers.rollbackHead = () => fail('not-found', 'There is no earlier head to go back to.');
    await r.rollback();
    expect(toasts.list.at(-1)).toMatchObject({
      kind: 'error',
      message: 'There is no earlier head to go back to.',
    });
  });
});

describe('RetrainState: what was taught since the last training', () => {
  const since = (tags: number, rejected: number, enough: boolean) => ({
    ...info,
    sinceLastTraining: { since: 1, tags, accepted: 3, rejected, enough },
  });

  it('says how many new tags and rejections retraining will use, once there are enough', async () => {
    const host = fakeApi({ trainingInfo: () => ok(since(12, 5, true)), listHeads: () => ok([]) });
    const r = new RetrainState(host.api, new Toasts());
    await r.refresh();
    expect(r.feedbackNote).toBe(
      '12 new tags and 5 rejections since the last training — retraining will use them',
    );
    host.answers.trainingInfo = () => ok(since(1, 1, false));
    await r.refresh();
    expect(r.feedbackNote).toBe('');
    host.answers.trainingInfo = () => ok(since(1, 9, true));
    await r.refresh();
    expect(r.feedbackNote).toBe(
      '1 new tag and 9 rejections since the last training — retraining will use them',
    );
  });
});

describe('RetrainState: phases, epochs and the kept result', () => {
  const run: LastTrainingRun = {
    finishedAt: 1_767_000_000_000,
    epochs: 2,
    photos: 40,
    heldOut: 8,
    quick: { head: head('q1'), activated: true, before: 0.57, after: 0.7 },
    final: { head: head('d1', true), activated: true, before: 0.7, after: 0.76 },
  };

  it('shows a phase at once, keeps it until the next step, and logs phases and steps in order', () => {
    const { r } = setup();
    r.onEvent({
      type: 'train-phase',
      phase: { phase: 'reading', message: 'Reading: 0 of 40', done: 0, total: 40 },
    });
    expect(r.running).toBe(true);
    expect(r.phase?.message).toBe('Reading: 0 of 40');
    expect(r.nowLine).toBe('Preparing · Reading: 0 of 40');
    r.onEvent({
      type: 'train-phase',
      phase: { phase: 'reading', message: 'Reading: 40 of 40', done: 40, total: 40 },
    });
    r.onEvent({ type: 'train-phase', phase: { phase: 'compiling', message: 'Compiling', stage: 'quick' } });
    r.onEvent(progress(1, 1, { hl: 1 }));
    expect(r.phase).toBeNull();
    r.onEvent(progress(1, 2, { hl: 1 }));
    r.onEvent({
      type: 'train-phase',
      phase: { phase: 'checking-epoch', message: 'Checking epoch 1', stage: 'quick' },
    });
    // A counting phase and consecutive steps replace their own line; the order stays readable.
    expect(r.nowLine).toBe('Step 1 of 2, quick training · Checking epoch 1');
    r.onEvent(progress(1, 4, { hl: 1 }, 0.61));
    expect(r.nowLine).toBe('Training · epoch 1 of 2 done · finds your tagged photos: 61 %');
    expect(r.log).toEqual([
      'Preparing · Reading: 40 of 40',
      'Step 1 of 2, quick training · Compiling',
      'Training · epoch 1 of 2 · step 2 of 4',
      'Step 1 of 2, quick training · Checking epoch 1',
      'Training · epoch 1 of 2 done · finds your tagged photos: 61 %',
    ]);
    r.onEvent({ type: 'train-failed', error: { code: 'cancelled', message: 'Training was cancelled.' } });
    expect(r.phase).toBeNull();
    expect(r.nowLine).toBe('');
  });

  it('refuses 0, −5, empty, fractions and more than 500 epochs: Start stays disabled, with the reason', async () => {
    const { r, host } = setup();
    await r.refresh();
    expect(r.canStart).toBe(true);
    for (const bad of [0, -5, null, undefined, 2.5, 501]) {
      r.epochs = bad;
      expect(r.canStart).toBe(false);
      expect(r.epochsError).toMatch(/^Epochs must be a whole number from 1 to 500 .*; you gave .+\.$/);
      await r.start();
      expect(host.calls.some((c) => c.method === 'startTraining')).toBe(false);
    }
    r.epochs = 500;
    expect(r.epochsError).toBe('');
    expect(r.canStart).toBe(true);
  });

  it('shows the library’s last result on load, and does not put it over a run started since', async () => {
    const { r, host } = setup();
    host.answers.trainingInfo = () => ok({ ...info, lastRun: run });
    await r.refresh();
    expect(r.outcome).toEqual(run);
    expect(r.quick).toEqual(run.quick);

    await r.start();
    expect(r.outcome).toBeNull();
    await r.refresh();
    expect(r.outcome).toBeNull();
    expect(r.quick).toBeNull();
  });

  it('draws the full stage’s quality as its own curve, keeping the quick stage’s beside it', () => {
    const { r } = setup();
    r.onEvent({ type: 'train-phase', phase: { phase: 'compiling', message: 'Compiling', stage: 'quick' } });
    r.onEvent(progress(1, 4, { hl: 1 }, 0.5));
    r.onEvent(progress(2, 4, { hl: 0.8 }, 0.6));
    r.onEvent({ type: 'train-phase', phase: { phase: 'saving', message: 'Saving', stage: 'quick' } });
    expect(r.quickValMap).toEqual([]);
    r.onEvent({ type: 'train-phase', phase: { phase: 'compiling', message: 'Compiling', stage: 'dghdgh' } });
    expect(r.quickValMap).toEqual([
      { x: 1, y: 0.5 },
      { x: 2, y: 0.6 },
    ]);
    expect(r.valMap).toEqual([]);
    expect(r.losses).toEqual({});
    r.onEvent(progress(1, 4, { hl: 0.7 }, 0.55));
    expect(r.valMap).toEqual([{ x: 1, y: 0.55 }]);
    expect(r.quickValMap).toHaveLength(2);
  });
});
