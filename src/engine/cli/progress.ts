import { SingleBar, Presets } from 'cli-progress';

/** A progress display that is a real bar on a terminal and silent otherwise (pipes, --json). */
export interface Progress {
  update(done: number, total: number, label?: string): void;
  stop(): void;
}

/** Creates a progress bar on stderr when it is a terminal and output is for humans. */
export function createProgress(title: string, enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new SingleBar(
    {
      format: `${title} [{bar}] {value}/{total} {percentage}% | ETA {eta_formatted} | {label}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, label = '') {
      if (!started) {
        bar.start(total, done, { label });
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, { label: label.length > 40 ? `…${label.slice(-39)}` : label });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
