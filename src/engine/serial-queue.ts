/** Runs async jobs one at a time, in order: indexing, training and head switches never overlap. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues `job` after every job queued before it; resolves or rejects with its outcome. */
  run<T>(job: () => Promise<T>): Promise<T> {
    const next = this.tail.then(job, job);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Resolves once every job queued so far has settled. */
  async idle(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.tail;
      await seen;
    } while (seen !== this.tail);
  }
}
