import type { UtilityProcess } from 'electron';
import type { GlintEvent } from '../contract/api.ts';
import {
  createEngineClient,
  type EngineClient,
  type FromEngine,
  type ShellActions,
  type ToEngine,
} from './engine-rpc.ts';

/** How to fork the engine process (Electron's `utilityProcess.fork`, injected). */
export type ForkEngine = (
  modulePath: string,
  args: string[],
  options: { serviceName: string; env: NodeJS.ProcessEnv },
) => UtilityProcess;

/**
 * Starts the engine in a utility process and returns main's client for it; events are forwarded to
 * `onEvent`, and an exit fails pending calls with a message that says what to do.
 */
export function startEngineProcess(
  fork: ForkEngine,
  entry: string,
  shell: ShellActions,
  onEvent: (event: GlintEvent) => void,
  env: NodeJS.ProcessEnv,
): { client: EngineClient; child: UtilityProcess } {
  const child = fork(entry, [], { serviceName: 'Glint engine', env });
  const client = createEngineClient((m: ToEngine) => child.postMessage(m), shell, onEvent);
  child.on('message', (m: FromEngine) => client.receive(m));
  child.on('exit', (code) => {
    client.fail(`The Glint engine stopped (exit code ${code}): restart Glint.`);
    onEvent({ type: 'notice', message: 'The Glint engine stopped unexpectedly: restart Glint.' });
  });
  return { client, child };
}
