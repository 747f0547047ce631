/**
 * A training worker thread that serves jobs with the linear JS test model (trainer-linear-model.ts) in place
 * of the ONNX DGHDGH model: the model factory is handed to `serveTrainJobs` as a plain function.
 */
import { parentPort } from 'node:worker_threads';
import { serveTrainJobs } from '../../../src/engine/train/train-job.ts';
import { createModel } from './trainer-linear-model.ts';

if (parentPort) serveTrainJobs(parentPort, createModel);
