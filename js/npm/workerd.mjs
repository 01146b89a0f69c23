// Cloudflare Workers (workerd): wrangler and workerd import a .wasm file as a compiled
// WebAssembly.Module, so the module is instantiated synchronously at import.
import wasmModule from "./cloudflare_ecs_bg.wasm";
import { initSync } from "./web.mjs";

initSync({ module: wasmModule });

export { Normalizer, transform, transformJson, transformBatch } from "./web.mjs";
