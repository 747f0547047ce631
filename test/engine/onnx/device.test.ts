/** The words a CUDA fallback is told in: the outcome first, the cause in brackets, then what to do. */
import { describe, expect, it } from 'vitest';
import { CUDA_FALLBACK, cudaFallbackMessage, isCudaFallback } from '../../../src/engine/onnx/device.ts';

describe('CUDA fallback messages', () => {
  it('start with the plain outcome, then the cause and the hint, and are recognised as fallbacks', () => {
    const message = cudaFallbackMessage('no CUDA provider library in /x', 'Run `npm run gpu:install`.');
    expect(message).toBe(
      'CUDA is not available on this computer; using the CPU (no CUDA provider library in /x). Run `npm run gpu:install`.',
    );
    expect(message.startsWith(CUDA_FALLBACK)).toBe(true);
    expect(isCudaFallback(message)).toBe(true);
    expect(isCudaFallback('The models are downloaded.')).toBe(false);
  });
});
