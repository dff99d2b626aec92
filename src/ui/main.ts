/** The lab page: mounts the app. Everything it shows is computed in workers; the page renders. */
import { mount } from 'svelte';
import App from './App.svelte';
import './styles.css';

mount(App, { target: document.getElementById('app')! });
