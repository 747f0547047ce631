/** Short messages for the user (errors, notices), announced by a live region and dismissed after a while. */

/** One message. */
export interface Toast {
  id: number;
  kind: 'info' | 'error';
  message: string;
}

// NOTE: 7 s is long enough to read two lines; errors stay until dismissed.
const INFO_MS = 7000;

/** The visible messages. */
export class Toasts {
  list = $state.raw<Toast[]>([]);
  #next = 1;

  /** Shows a message; info messages go away by themselves. */
  show(message: string, kind: Toast['kind'] = 'info'): void {
    const id = this.#next++;
    this.list = [...this.list.filter((t) => t.message !== message), { id, kind, message }].slice(-4);
    if (kind === 'info') setTimeout(() => this.dismiss(id), INFO_MS);
  }

  /** Removes a message. */
  dismiss(id: number): void {
    this.list = this.list.filter((t) => t.id !== id);
  }
}
