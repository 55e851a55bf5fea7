// Builds the console (console/) into dist/console, which the hub serves at `/`.
// In development `vite` serves the console and forwards the API and Socket.IO to a running hub.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const hub = process.env.WATCHFLOOR_HUB ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: fileURLToPath(new URL('./console', import.meta.url)),
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('./dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // three (~725 KiB) and ECharts (~570 KiB) are lazy chunks loaded only by the 3D wall and
    // the trend views; the initial bundle stays small.
    chunkSizeWarningLimit: 800,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: hub, changeOrigin: true },
      '/socket.io': { target: hub, ws: true, changeOrigin: true },
      // Live camera video: fragmented MP4 over a plain WebSocket.
      '/video': { target: hub, ws: true, changeOrigin: true },
    },
  },
});
