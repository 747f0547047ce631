import { mount } from 'svelte';
import App from './app.svelte';
import './styles/app.css';

// The theme the user chose last time, before the first paint (settings arrive from the host a moment later).
const theme = localStorage.getItem('glint.theme');
if (theme === 'light' || theme === 'dark') document.documentElement.dataset['theme'] = theme;

/** The mounted root component. */
export default mount(App, { target: document.getElementById('app') as HTMLElement });
