// Entry point `iamscope/web`: for browsers and any runtime with `fetch` and ES modules. Call
// `await init()` once before using the API (it fetches the .wasm next to this file), or pass the
// module's URL, its bytes, a Response or a compiled WebAssembly.Module.

import glueInit, { initSync as glueInitSync } from "./wasm/iamscope.js";
import * as glue from "./wasm/iamscope.js";
import { isReady, setBindings, setNotReadyMessage } from "./api.js";

export * from "./api.js";
export type * from "./types.js";

setNotReadyMessage(
  "iamscope: the WebAssembly module is not initialized yet; call `await init()` from 'iamscope/web' first",
);

/** Where the WebAssembly module comes from. */
export type InitInput =
  | string
  | URL
  | Request
  | Response
  | ArrayBuffer
  | Uint8Array
  | WebAssembly.Module
  | Promise<Response>;

/**
 * Instantiates the WebAssembly module. Without an argument it fetches `iamscope_bg.wasm` next to
 * this file (`new URL("./wasm/iamscope_bg.wasm", import.meta.url)`); pass a URL to serve it from
 * elsewhere, or the bytes you already have. Calling it again after success does nothing.
 */
export async function init(input?: InitInput): Promise<void> {
  if (isReady()) return;
  const source = input ?? new URL("./wasm/iamscope_bg.wasm", import.meta.url);
  checkInput("init", source);
  const exports = await glueInit({ module_or_path: source });
  setBindings(glue, exports.memory);
}

/** Like {@link init}, synchronously, from the module's bytes or a compiled module. */
export function initSync(input: ArrayBuffer | Uint8Array | WebAssembly.Module): void {
  if (isReady()) return;
  if (
    !(input instanceof ArrayBuffer || input instanceof Uint8Array || input instanceof WebAssembly.Module)
  ) {
    throw new TypeError(
      "iamscope.initSync: input must be an ArrayBuffer, a Uint8Array or a WebAssembly.Module",
    );
  }
  const exports = glueInitSync({ module: input });
  setBindings(glue, exports.memory);
}

function checkInput(fn: string, input: unknown): void {
  const ok =
    typeof input === "string" ||
    input instanceof URL ||
    input instanceof ArrayBuffer ||
    input instanceof Uint8Array ||
    input instanceof WebAssembly.Module ||
    (typeof Request !== "undefined" && input instanceof Request) ||
    (typeof Response !== "undefined" && input instanceof Response) ||
    input instanceof Promise;
  if (!ok) {
    throw new TypeError(
      `iamscope.${fn}: expected a URL, a string, a Request, a Response, bytes or a WebAssembly.Module`,
    );
  }
}
