/**
 * The training worker thread: ONNX `session.run` blocks the thread it runs on, so training (and the
 * evaluation and head export that need the trained model) runs here, off the caller's thread, with the
 * ONNX DGHDGH model. One job per worker (train-job.ts serves it).
 */
import { parentPort } from 'node:worker_threads';
import { serveTrainJobs } from './train-job.ts';

if (parentPort) serveTrainJobs(parentPort);
