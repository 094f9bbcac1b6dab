/**
 * The renderer's Vite configuration, shared by `electron-vite` (Electron builds and dev server)
 * and the web host's renderer build, so both serve the identical bundle.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { UserConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Where the renderer's sources and its build live. */
export const rendererPaths = {
  root: `${here}src/renderer`,
  outDir: `${here}out/renderer`,
} as const;

/** The renderer's Vite config; `outDir` may be overridden (the web host builds to a temporary folder first). */
export function rendererViteConfig(outDir: string = rendererPaths.outDir): UserConfig {
  return {
    root: rendererPaths.root,
    // Relative asset URLs work from both app://clinicdesk/ and http://127.0.0.1:<port>/.
    base: './',
    plugins: [react()],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'chrome130',
      // electron-vite and the web host must ship the same, minified bundle.
      minify: 'esbuild',
      // No inline scripts or data: modules, so the strict CSP holds.
      modulePreload: { polyfill: false },
      assetsInlineLimit: 0,
      reportCompressedSize: false,
    },
  };
}
