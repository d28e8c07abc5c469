// Entry point `iamscope` for bundlers (webpack 5, Vite, Rollup, esbuild, Parcel): the module is
// fetched and instantiated with a top-level await, so the API is ready once the import resolves.
// Under Node the package's `exports` map selects `iamscope/node` instead.

import { init } from "./web.js";

export * from "./api.js";
export type * from "./types.js";

await init(new URL("./wasm/iamscope_bg.wasm", import.meta.url));
