// Starts the researcher console: the wasm-bindgen glue fetches console_bg.wasm next to it and
// runs the console's `start`.
import init from './console.js';

init().catch((error) => {
  const root = document.getElementById('console');
  if (root) {
    root.textContent = 'The console could not start: ' + error;
  }
});
