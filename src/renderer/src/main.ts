import { mount } from 'svelte';
import App from './App.svelte';

/** The mounted root component. */
export default mount(App, { target: document.getElementById('app') as HTMLElement });
