import { mount } from 'svelte';
import App from './app.svelte';
import './styles/app.css';

/** The mounted root component. */
export default mount(App, { target: document.getElementById('app') as HTMLElement });
