import type { IndexProgress } from './ingest/job-processor.ts';
import type { PipelineState } from './ingest/pipeline.ts';
import type { ErrorStage } from './types.ts';

/** Events the engine emits while it works. */
export type EngineEvent =
  | ({ type: 'progress' } & IndexProgress)
  | { type: 'file-error'; path: string; stage: ErrorStage; message: string }
  | { type: 'notice'; message: string }
  | { type: 'watch'; change: 'add' | 'change' | 'unlink'; path: string }
  | { type: 'ingest-state'; state: PipelineState }
  | { type: 'pass-end' }
  | { type: 'sidecar-progress'; done: number; total: number; failed: number };
