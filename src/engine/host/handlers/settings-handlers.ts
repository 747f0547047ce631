import type { HandlerSet, HandlerTable } from './handler-table.ts';
import type { HostContext } from './host-context.ts';

/** The settings handlers: read them (defaults filled in) and save a patch. */
export function settingsHandlers({
  settings,
  saveSettings,
  emit,
}: HostContext): HandlerSet<'getSettings' | 'setSettings'> {
  return {
    getSettings: () => settings(),
    setSettings: (patch) => {
      const before = settings();
      const next = saveSettings(patch);
      if (next.modelsDir !== before.modelsDir || next.device !== before.device)
        emit({
          type: 'notice',
          message: 'The new models folder or device takes effect when Glint restarts.',
        });
      return next;
    },
  };
}

/** Registers the settings handlers. */
export function registerSettings(table: HandlerTable, ctx: HostContext): void {
  table.register(settingsHandlers(ctx));
}
