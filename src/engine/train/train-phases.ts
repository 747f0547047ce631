/**
 * The words of a retraining run's phases (what it does outside its training steps), in one place so the app,
 * `glint serve` and `glint train` say the same thing. A photographer reads these: no "head", no loss names.
 */
import type { TrainPhaseView } from '../../contract/api.ts';

type Stage = TrainPhaseView['stage'];

const stageOf = (stage: Stage): Pick<TrainPhaseView, 'stage'> => (stage ? { stage } : {});
const counted = (done: number, total: number): Pick<TrainPhaseView, 'done' | 'total'> => ({ done, total });
const photos = (n: number): string => `${n.toLocaleString('en')} photo${n === 1 ? '' : 's'}`;

/** The phases, each a function of what it counts. */
export const trainPhase = {
  /** Gathering the cached image embeddings (and captions) of the tagged photos. */
  reading: (done: number, total: number): TrainPhaseView => ({
    phase: 'reading',
    message: `Reading your tagged photos' embeddings: ${done.toLocaleString('en')} of ${total.toLocaleString('en')}`,
    ...counted(done, total),
  }),
  /** Encoding "a photo of …" phrases for photos without a caption. */
  describing: (done: number, total: number): TrainPhaseView => ({
    phase: 'describing',
    message: `Putting your tags into words for photos without a caption: ${done.toLocaleString('en')} of ${total.toLocaleString('en')}`,
    ...counted(done, total),
  }),
  /** Holding back part of the tagged photos to check the result on. */
  splitting: (heldOut: number, total: number): TrainPhaseView => ({
    phase: 'splitting',
    message: `Building the validation set: holding back ${heldOut.toLocaleString('en')} of your ${photos(total)} to check the result on`,
  }),
  /** Building the ONNX training graph and its sessions (the first step waits for it). */
  compiling: (stage: Stage): TrainPhaseView => ({
    phase: 'compiling',
    message: 'Compiling the training step',
    ...stageOf(stage),
  }),
  /** Validation after an epoch's steps (and the epoch's diagnostics and checkpoint). */
  checkingEpoch: (stage: Stage, epoch: number, epochs: number): TrainPhaseView => ({
    phase: 'checking-epoch',
    message: `Checking epoch ${epoch} of ${epochs} on your held-back photos`,
    ...stageOf(stage),
    ...counted(epoch, epochs),
  }),
  /** Going back to the best epoch's state when a later epoch was not better. */
  bestEpoch: (stage: Stage, epoch: number): TrainPhaseView => ({
    phase: 'best-epoch',
    message: `Going back to epoch ${epoch}, the best on your held-back photos`,
    ...stageOf(stage),
  }),
  /** Writing the trained model out as a head. */
  saving: (stage: Stage): TrainPhaseView => ({
    phase: 'saving',
    message: 'Saving the new version of your search',
    ...stageOf(stage),
  }),
  /** Measuring the new head and the one in use on the held-back photos. */
  comparing: (stage: Stage, heldOut: number): TrainPhaseView => ({
    phase: 'comparing',
    message: `Checking the new version on your ${heldOut.toLocaleString('en')} held-back photos`,
    ...stageOf(stage),
  }),
  /** Re-making every item's code with the new head from cached embeddings. */
  rehashing: (stage: Stage, done: number, total: number): TrainPhaseView => ({
    phase: 'rehashing',
    message: `Re-hashing your photos and notes for the new version: ${done.toLocaleString('en')} of ${total.toLocaleString('en')}`,
    ...stageOf(stage),
    ...counted(done, total),
  }),
};
