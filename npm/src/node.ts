// Entry point `iamscope/node` (and `iamscope` under Node): the module is read from the package
// folder and instantiated synchronously on import, so the API is ready at once, in ES modules and
// CommonJS alike (the CommonJS file is this one bundled by the build).

import { readFileSync } from "node:fs";
import { initSync } from "./wasm/iamscope.js";
import * as glue from "./wasm/iamscope.js";
import { setBindings } from "./api.js";

export * from "./api.js";
export type * from "./types.js";

const exports = initSync({ module: readFileSync(new URL("./wasm/iamscope_bg.wasm", import.meta.url)) });
setBindings(glue, exports.memory);
