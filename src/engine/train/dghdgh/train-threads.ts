/**
 * The default intra-op thread count of DGHDGH's sessions. Measured on a 2-core machine (training/bench-threads.ts,
 * Wiki 64 bits, batch 128, interleaved medians): on a quiet machine 2 spinning threads (ORT's default there) made a
 * full step 0.88× the wall time of 1 thread for 1.6× its CPU time, and made the plain head's step slower (19.6 vs
 * 12.2 ms); with the other core busy, 2 spinning threads made the full step 2.4× slower. So on ≤ 2 cores one thread,
 * which leaves the other core to the app (and to the rest of the machine); on more cores ORT's own choice.
 */
import { availableParallelism } from 'node:os';

/** 1 on a machine with at most 2 logical cores, else undefined (ORT's default: one thread per physical core). */
export function defaultTrainThreads(cores: number = availableParallelism()): number | undefined {
  return cores <= 2 ? 1 : undefined;
}
