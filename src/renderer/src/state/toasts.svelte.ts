/** Short messages for the user (errors, notices), announced by a live region and dismissed after a while. */

/** One message. */
export interface Toast {
  id: number;
  kind: 'info' | 'error';
  message: string;
  /** A button beside the message (e.g. Undo), which also dismisses it. */
  action?: { label: string; run: () => void };
}

// NOTE: 7 s is long enough to read two lines; errors stay until dismissed.
const INFO_MS = 7000;

/** The visible messages. */
export class Toasts {
  list = $state.raw<Toast[]>([]);
  /** Told when a call found the host unreachable ('offline') or the link expired ('link-expired'). */
  onConnection: (code: string) => void = () => {};
  #next = 1;

  /** Shows a message; info messages go away by themselves (one with an action stays twice as long). */
  show(message: string, kind: Toast['kind'] = 'info', action?: Toast['action']): void {
    const id = this.#next++;
    const toast: Toast = action ? { id, kind, message, action } : { id, kind, message };
    this.list = [...this.list.filter((t) => t.message !== message), toast].slice(-4);
    if (kind === 'info') setTimeout(() => this.dismiss(id), action ? 2 * INFO_MS : INFO_MS);
  }

  /** Removes a message. */
  dismiss(id: number): void {
    this.list = this.list.filter((t) => t.id !== id);
  }
}
