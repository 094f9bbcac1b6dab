/**
 * electron-vite: main (ESM, dependencies external), preload (one CommonJS file with its few imports
 * bundled, as Electron's sandbox requires) and the renderer (shared with the web host).
 */
import { defineConfig } from 'electron-vite';
import { rendererViteConfig } from './vite.renderer.config';

export default defineConfig({
  main: {
    build: { rollupOptions: { input: { index: 'src/main/index.ts' } } },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: 'src/preload/index.ts' },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererViteConfig(),
});
