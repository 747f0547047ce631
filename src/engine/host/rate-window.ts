/** Progress rate and time left over a sliding window, so the estimate follows the current speed. */

/** One (time, done) observation. */
interface Sample {
  t: number;
  done: number;
}

/** Files per second over the last `windowMs`, and the seconds left at that rate. */
export class RateWindow {
  private readonly windowMs: number;
  private samples: Sample[] = [];

  // NOTE: 10 s smooths per-file jitter (a panorama vs a thumbnail-sized PNG) yet follows real slowdowns.
  constructor(windowMs = 10_000) {
    this.windowMs = windowMs;
  }

  /** Forgets the history (a new run starts). */
  reset(): void {
    this.samples = [];
  }

  /** Records progress at time `t` (ms) and returns the rate (per second) and ETA (seconds, null if unknown). */
  add(t: number, done: number, total: number): { rate: number; etaSeconds: number | null } {
    this.samples.push({ t, done });
    while (this.samples.length > 2 && t - this.samples[0]!.t > this.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    const dt = (t - first.t) / 1000;
    const rate = dt > 0 ? Math.max(0, (done - first.done) / dt) : 0;
    const left = Math.max(0, total - done);
    const etaSeconds = left === 0 ? 0 : rate > 0 ? Math.ceil(left / rate) : null;
    return { rate: Number(rate.toFixed(2)), etaSeconds };
  }
}
