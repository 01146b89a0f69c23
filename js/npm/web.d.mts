// "cloudflare-ecs/web": the API without automatic loading; call `init` or `initSync` first.
export * from "./index.mjs";

/** Where to load the module from: a URL/Request/Response to fetch, its bytes, or a compiled module. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/**
 * Loads and instantiates the WebAssembly module (once; later calls return the same
 * instance). Without an argument it fetches `cloudflare_ecs_bg.wasm` next to this file.
 */
export default function init(
  input?: { module_or_path: InitInput | Promise<InitInput> },
): Promise<WebAssembly.Exports>;

/** Instantiates the module synchronously from its bytes or a compiled `WebAssembly.Module`. */
export function initSync(input: { module: BufferSource | WebAssembly.Module }): WebAssembly.Exports;
