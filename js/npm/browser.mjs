// Browsers and bundlers: fetches cloudflare_ecs_bg.wasm beside this file (bundlers that
// understand `new URL(..., import.meta.url)` emit it as an asset) with top-level await.
// To load the module yourself, import "cloudflare-ecs/web" and call its default `init`.
import init from "./web.mjs";

await init();

export { Normalizer, transform, transformJson, transformBatch } from "./web.mjs";
