import type { ApiResult } from '../../contract/api.ts';
/** Messages between the engine and its encoder worker thread. Types only. */
import type { Device } from '../onnx/runtime.ts';
import type { Modality } from '../types.ts';

/** A photo to decode, thumbnail, embed and hash: its bytes as read once, and where its thumbnail goes. */
export interface PhotoJob {
  bytes: Uint8Array;
  thumbPath: string;
}

/** What the worker made of one photo: its embedding and the active head's continuous code (1×K). */
export type PhotoResult =
  | { ok: true; embedding: Float32Array; code: Float32Array; width: number; height: number }
  | { ok: false; code: string; message: string };

/** Requests the engine sends, each answered once. */
export type EncoderRequest =
  /** Loads (or, sent again, replaces) the CLIP models; `warm` opens both sessions before answering. */
  | { type: 'init'; modelsDir: string; device: Device; threads?: number; warm?: boolean }
  | { type: 'photos'; items: PhotoJob[]; headDir: string }
  | { type: 'image-query'; path: string }
  | { type: 'texts'; texts: string[]; headDir?: string }
  | { type: 'hash'; headDir: string; modality: Modality; embeddings: Float32Array; n: number };

/** Successful answers, by request type. */
export interface EncoderReplies {
  /** `providers`: what each session runs on, when `warm` opened them. */
  init: {
    modelId: string;
    standin: boolean;
    notices: string[];
    providers?: { vision: Device; text: Device };
  };
  photos: { results: PhotoResult[] };
  'image-query': { embedding: Float32Array };
  /** n×D embeddings and, when a head was named, its n×K continuous codes. */
  texts: { embeddings: Float32Array; codes?: Float32Array };
  hash: { codes: Float32Array; bits: number };
}

/** The envelope around a request. */
export interface RequestEnvelope {
  id: number;
  request: EncoderRequest;
}

/** The envelope around an answer: the request's result (the one ApiResult shape), or a notice line. */
export type ReplyEnvelope = { id: number; result: ApiResult<unknown> } | { id: -1; notice: string };
