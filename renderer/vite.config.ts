// Renderer build. `base: './'` keeps asset URLs relative so the same bundle
// loads from the relay at `/` and from the Electron shell's custom protocol.
// No inline scripts or styles end up in index.html: the relay serves it under
// a CSP with `script-src 'self'; style-src 'self'`.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // A data: URI inside CSS is allowed (img-src data:), but the modulepreload
    // polyfill would be an inline script: keep it out.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: true,
  },
  server: {
    // `npm run relay` on 8082; the dev server forwards API and socket calls.
    proxy: {
      '/admin': 'http://127.0.0.1:8082',
      '/relay': { target: 'http://127.0.0.1:8082', ws: true },
    },
  },
});
