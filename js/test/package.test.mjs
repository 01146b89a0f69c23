// `npm pack` of dist/npm, installed offline from the tarball into a new project, then used
// as a consumer would: `import` and `require` from Node, and the TypeScript declarations.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";

import { JS_DIR, packAndInstall } from "./helpers.mjs";

const DNS = '{"QueryName":"www.example.co.uk.","QueryType":1,"ResponseCode":0,"Timestamp":1657233726004000000}';
let pkg;

const node = (args, input) =>
  execFileSync(process.execPath, args, { cwd: pkg.project, encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"] });

describe("the packed npm package", () => {
  before(() => {
    pkg = packAndInstall();
  });

  test("the tarball holds the package files and nothing else", (t) => {
    t.diagnostic(`${pkg.tarball}: ${pkg.size} bytes packed, ${pkg.unpackedSize} unpacked`);
    assert.deepEqual(pkg.files.sort(), [
      "README.md",
      "browser.mjs",
      "cloudflare_ecs_bg.wasm",
      "index.d.mts",
      "index.d.ts",
      "node.cjs",
      "node.mjs",
      "package.json",
      "web.d.mts",
      "web.mjs",
      "workerd.mjs",
    ]);
    assert.ok(pkg.size < 1_000_000, `packed size ${pkg.size}`);
  });

  test("import from Node ESM", () => {
    const script = `
      import { transform, transformJson, transformBatch, Normalizer } from "cloudflare-ecs";
      import * as all from "cloudflare-ecs";
      const record = process.argv[1];
      console.log(JSON.stringify({
        exports: Object.keys(all).sort(),
        dataset: transform(record).event.dataset,
        json: JSON.parse(transformJson(record)).dns.question.registered_domain,
        batch: transformBatch(record + "\\n" + record).split("\\n").length,
        normalizer: new Normalizer({ dataset: "dns_logs" }).transform(record)["@timestamp"],
      }));`;
    const out = JSON.parse(node(["--input-type=module", "-e", script, DNS]));
    assert.deepEqual(out, {
      exports: ["Normalizer", "transform", "transformBatch", "transformJson"],
      dataset: "dns_logs",
      json: "example.co.uk",
      batch: 3,
      normalizer: "2022-07-07T22:42:06.004000Z",
    });
  });

  test("require from Node CommonJS", () => {
    const script = `
      const ecs = require("cloudflare-ecs");
      const record = process.argv[1];
      console.log(JSON.stringify({
        exports: Object.keys(ecs).sort(),
        dataset: ecs.transform(record).event.dataset,
        batch: ecs.transformBatch(Buffer.from(record + "\\n")),
        resolved: require.resolve("cloudflare-ecs").split("node_modules/")[1],
      }));`;
    const out = JSON.parse(node(["-e", script, DNS]));
    assert.deepEqual(out.exports, ["Normalizer", "transform", "transformBatch", "transformJson"]);
    assert.equal(out.dataset, "dns_logs");
    assert.equal(out.batch, `${node(["-p", `require("cloudflare-ecs").transformJson(process.argv[1])`, DNS]).trim()}\n`);
    assert.equal(out.resolved, "cloudflare-ecs/node.cjs");
  });

  test("conditional exports resolve per environment", () => {
    const manifest = JSON.parse(readFileSync(join(pkg.project, "node_modules/cloudflare-ecs/package.json"), "utf8"));
    const resolve = (conditions) => {
      let target = manifest.exports["."];
      while (typeof target !== "string") {
        const key = Object.keys(target).find((k) => k === "default" || conditions.includes(k));
        target = target[key];
      }
      return target;
    };
    assert.equal(resolve(["node", "import"]), "./node.mjs");
    assert.equal(resolve(["node", "require"]), "./node.cjs");
    assert.equal(resolve(["workerd", "worker", "browser", "import"]), "./workerd.mjs"); // wrangler
    assert.equal(resolve(["browser", "import", "module"]), "./browser.mjs"); // webpack, vite
    assert.equal(resolve(["import"]), "./browser.mjs"); // Deno-style, unknown runtimes
    assert.equal(resolve(["types", "import"]), "./index.d.mts");
    assert.equal(resolve(["types", "node", "require"]), "./index.d.ts");
    const url = node(["--input-type=module", "-e", 'console.log(import.meta.resolve("cloudflare-ecs/web"))']).trim();
    assert.ok(url.endsWith("/node_modules/cloudflare-ecs/web.mjs"), url);
  });

  test("TypeScript declarations type-check for ESM, CommonJS and bundler resolution", () => {
    const files = {
      "esm.mts": `
        import { transform, transformJson, transformBatch, Normalizer, type Options, type EcsDocument } from "cloudflare-ecs";
        const options: Options = { dataset: "dns_logs", keep_message: false, max_record_bytes: 1024 };
        const doc: EcsDocument = transform({ QueryName: "a.example." }, options);
        const ts: string | undefined = doc["@timestamp"];
        const kind: string | undefined = doc.event?.kind;
        const text: string = transformJson(new Uint8Array([123, 125]));
        const lines: string = transformBatch("{}\\n", null);
        const n = new Normalizer();
        n.transform("{}").error?.type;
        n.free();
        // @ts-expect-error unknown option
        transform("{}", { keepMessage: false });
        // @ts-expect-error not a record
        transformJson(42);
        export { ts, kind, text, lines };`,
      "cjs.cts": `
        import ecs = require("cloudflare-ecs");
        const doc: ecs.EcsDocument = ecs.transform("{}");
        export const dataset: string | undefined = doc.event?.dataset;
        export const batch: string = new ecs.Normalizer({ dataset: "auto" }).transformBatch(new Uint8Array([123, 125]));`,
      "web.mts": `
        import init, { initSync, transform } from "cloudflare-ecs/web";
        await init();
        initSync({ module: new Uint8Array(8) });
        export const doc = transform("{}");`,
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(pkg.project, name), content);
    const tsc = join(JS_DIR, "node_modules", "typescript", "bin", "tsc");
    const common = ["--noEmit", "--strict", "--target", "es2022"];
    const run = (args) => {
      try {
        execFileSync(process.execPath, [tsc, ...common, ...args], { cwd: pkg.project, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      } catch (e) {
        assert.fail(`tsc ${args.join(" ")}:\n${e.stdout}${e.stderr}`);
      }
    };
    run(["--module", "nodenext", "--moduleResolution", "nodenext", "--lib", "es2022,dom", "esm.mts", "cjs.cts", "web.mts"]);
    run(["--module", "esnext", "--moduleResolution", "bundler", "--lib", "es2022,dom", "esm.mts", "web.mts"]);
  });
});
