import { resolve } from 'node:path';
import type { HandlerSet, HandlerTable } from './handler-table.ts';
import type { HostContext } from './host-context.ts';

/**
 * The settings handlers: read them (defaults filled in) and save a patch, which applies at once. A models
 * folder or device is checked first (a folder that is not a complete model set is refused with the reason,
 * and nothing of the patch is saved), then the encoders reopen on it; a new code length then switches search
 * to a head of that length, re-hashing the library with `rehash-progress` events; the rest is stored.
 */
export function settingsHandlers({
  engine,
  settings,
  saveSettings,
  emit,
}: HostContext): HandlerSet<'getSettings' | 'setSettings'> {
  return {
    getSettings: () => settings(),
    setSettings: async ({ bits, modelsDir, device, ...rest }) => {
      const now = engine.models.inUse;
      const choice = { dir: resolve(modelsDir ?? now.dir), device: device ?? now.device };
      const reopen = choice.dir !== now.dir || choice.device !== now.device;
      // Checked before anything changes: a refused folder leaves every setting as it was.
      if (reopen) engine.models.check(choice.dir);
      if (reopen) await engine.models.use(choice);
      if (bits !== undefined && bits !== engine.heads.active.bits) {
        const change = await engine.heads.useCodeLength(bits, (done, total) =>
          emit({ type: 'rehash-progress', bits, done, total }),
        );
        const which =
          change.source === 'trained'
            ? ` (your trained head ${change.head.id}, kept from before)`
            : change.source === 'default'
              ? ''
              : ' (a new untrained head; retrain to teach it your tags)';
        emit({ type: 'notice', message: `Search now uses ${bits}-bit codes${which}.` });
        // Every code changed: views showing results or the head in use read them again.
        emit({ type: 'library-changed' });
      }
      return saveSettings(rest);
    },
  };
}

/** Registers the settings handlers. */
export function registerSettings(table: HandlerTable, ctx: HostContext): void {
  table.register(settingsHandlers(ctx));
}
