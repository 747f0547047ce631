import type { GlintApi } from '../../../contract/api.ts';
import type { Toasts } from './toasts.svelte.ts';

/** What every view's state starts from: the API and the place to tell the user things. */
export class ViewState {
  protected readonly api: GlintApi;
  protected readonly toasts: Toasts;

  constructor(api: GlintApi, toasts: Toasts) {
    this.api = api;
    this.toasts = toasts;
  }
}
