import { defineConfig } from "vite";

// A static site: relative asset URLs (the site works from any path), no inline scripts (the CSP
// forbids them), the .wasm emitted as a file next to the scripts.
export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2000,
  },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
