// Shared by the JS tests: paths, the fixtures, and document comparison.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const JS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT = join(JS_DIR, "..");
export const NPM_DIR = join(ROOT, "dist", "npm");
export const FIXTURES_DIR = join(ROOT, "fixtures");

/** Fewer fixtures than this means the tree was not found, not that all is well. */
const MIN_FIXTURES = 10;

if (!existsSync(join(NPM_DIR, "package.json"))) {
  throw new Error(`${NPM_DIR} is not built: run js/build.sh build`);
}

/**
 * Every `fixtures/<dataset>/<case>.input` with its `.expected.json` and optional
 * `.options.json`, sorted by name. `input` is the record's bytes without the file's
 * trailing line terminators.
 */
export function loadFixtures() {
  const fixtures = [];
  for (const dataset of readdirSync(FIXTURES_DIR).sort()) {
    const dir = join(FIXTURES_DIR, dataset);
    if (!statSync(dir).isDirectory()) continue;
    const files = readdirSync(dir).sort();
    for (const file of files) {
      for (const suffix of [".expected.json", ".options.json"]) {
        if (file.endsWith(suffix)) {
          const input = file.slice(0, -suffix.length) + ".input";
          assert.ok(files.includes(input), `${dataset}/${file} has no ${input}`);
        }
      }
      if (!file.endsWith(".input")) continue;
      const name = file.slice(0, -".input".length);
      const read = (suffix) => readFileSync(join(dir, name + suffix));
      const optionsFile = join(dir, `${name}.options.json`);
      fixtures.push({
        name: `${dataset}/${name}`,
        input: stripLineTerminators(read(".input")),
        expected: JSON.parse(read(".expected.json").toString("utf8")),
        options: existsSync(optionsFile) ? JSON.parse(readFileSync(optionsFile, "utf8")) : undefined,
      });
    }
  }
  assert.ok(fixtures.length >= MIN_FIXTURES, `only ${fixtures.length} fixtures under ${FIXTURES_DIR}`);
  return fixtures;
}

function stripLineTerminators(bytes) {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0x0a) {
    end -= 1;
    if (end > 0 && bytes[end - 1] === 0x0d) end -= 1;
  }
  return new Uint8Array(bytes.subarray(0, end));
}

/** A record that fits on one NDJSON line, so it can go into a batch. */
export function isSingleLine(fixture) {
  const text = new TextDecoder().decode(fixture.input);
  return !text.includes("\n") && text.trim() !== "";
}

/** Whether the input is valid UTF-8, i.e. can be a JS string without losing bytes. */
export function isUtf8(fixture) {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(fixture.input);
    return true;
  } catch {
    return false;
  }
}

/** Keys sorted, every array sorted by its elements' canonical text: lists compare as multisets. */
export function canonical(value) {
  if (Array.isArray(value)) {
    return value.map(canonical).sort((a, b) => {
      const [x, y] = [JSON.stringify(a), JSON.stringify(b)];
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical(value[key])]));
  }
  return value;
}

/** Asserts two documents (objects or JSON text) are equal as JSON, arrays as multisets. */
export function assertSameDocument(actual, expected, message) {
  const parse = (doc) => (typeof doc === "string" ? JSON.parse(doc) : doc);
  assert.deepStrictEqual(canonical(parse(actual)), canonical(parse(expected)), message);
}

/**
 * Whether `JSON.parse` loses information from this JSON text: an integer beyond 2^53 or a
 * number with more significant digits than a double holds (outside strings).
 */
export function parseIsLossy(text) {
  for (const [token] of text.matchAll(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g)) {
    if (token.startsWith('"')) continue;
    if (/^-?\d+$/.test(token)) {
      if (BigInt(token) !== BigInt(Number(token))) return true;
    } else if (token.replace(/[-.]|[eE].*$/g, "").replace(/^0+/, "").length > 15) {
      return true;
    }
  }
  return false;
}

/** The `_id` the Worker gives a record's document: SHA-256 of its line, trimmed, in base64url. */
export function recordId(line) {
  return createHash("sha256").update(line.replace(/^[ \t\n\f\r]+|[ \t\n\f\r]+$/g, "")).digest("base64url");
}

/**
 * The Worker (js/worker/src/*.mjs) plus the installed package's workerd entry, as wrangler
 * would bundle them, for miniflare's `modules`.
 */
export function workerModules() {
  const pkgDir = join(packAndInstall().project, "node_modules", "cloudflare-ecs");
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const entry = manifest.exports["."].workerd.default; // the condition wrangler resolves
  const file = (name) => readFileSync(join(pkgDir, name));
  const at = (name) => join("/worker", name);
  const src = join(JS_DIR, "worker", "src");
  const sources = readdirSync(src).filter((name) => name.endsWith(".mjs")).sort((a, b) => (a === "index.mjs" ? -1 : b === "index.mjs" ? 1 : a < b ? -1 : 1));
  return [
    ...sources.map((name) => ({ type: "ESModule", path: at(name), contents: readFileSync(join(src, name)) })),
    { type: "ESModule", path: at("cloudflare-ecs"), contents: `export * from "./node_modules/cloudflare-ecs/${entry.slice(2)}";` },
    { type: "ESModule", path: at("node_modules/cloudflare-ecs/workerd.mjs"), contents: file("workerd.mjs") },
    { type: "ESModule", path: at("node_modules/cloudflare-ecs/web.mjs"), contents: file("web.mjs") },
    { type: "CompiledWasm", path: at("node_modules/cloudflare-ecs/cloudflare_ecs_bg.wasm"), contents: file("cloudflare_ecs_bg.wasm") },
  ];
}

let packed;

/**
 * `npm pack` of dist/npm, installed offline into a new temporary project (once per test
 * process). Returns { project, tarball, size }.
 */
export function packAndInstall() {
  if (packed) return packed;
  const work = mkdtempSync(join(tmpdir(), "cloudflare-ecs-pack-"));
  process.on("exit", () => rmSync(work, { recursive: true, force: true }));
  const [info] = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", work, NPM_DIR], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
  const tarball = join(work, info.filename);
  const project = join(work, "project");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], { cwd: project, stdio: ["ignore", "pipe", "pipe"] });
  packed = { project, tarball, size: info.size, unpackedSize: info.unpackedSize, files: info.files.map((f) => f.path) };
  return packed;
}
