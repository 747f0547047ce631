import type { HandlerSet, HandlerTable } from './handler-table.ts';
import type { HostContext } from './host-context.ts';

/** XMP write-back: what it covers, and writing every user-tagged photo's sidecar when the user asks. */
export function sidecarHandlers({ engine }: HostContext): HandlerSet<'sidecarStatus' | 'writeSidecars'> {
  return {
    sidecarStatus: () => ({ mode: engine.sidecars.mode(), ...engine.sidecars.pending() }),
    writeSidecars: () => engine.sidecars.writeAll(),
  };
}

/** Registers the sidecar handlers. */
export function registerSidecars(table: HandlerTable, ctx: HostContext): void {
  table.register(sidecarHandlers(ctx));
}
