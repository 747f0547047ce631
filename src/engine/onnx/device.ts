/** Where ONNX sessions run, and the words a CUDA fallback is told in (no native import: any thread may use it). */

/** Execution device. */
export type Device = 'cpu' | 'cuda';

/** How every CUDA fallback message begins: what happened, in a photographer's words, before the cause. */
export const CUDA_FALLBACK = 'CUDA is not available on this computer; using the CPU';

/** A CUDA fallback message: the outcome, the technical cause in brackets, then what to do about it. */
export function cudaFallbackMessage(cause: string, hint: string): string {
  return `${CUDA_FALLBACK} (${cause}). ${hint}`;
}

/** Whether a message is a CUDA fallback's. */
export function isCudaFallback(message: string): boolean {
  return message.startsWith(CUDA_FALLBACK);
}
