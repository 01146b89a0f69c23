// The npm package's API beyond the fixtures: options, argument types, bad input, and the
// browser entry point.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, test } from "node:test";

import { Normalizer, transform, transformBatch, transformJson } from "../../dist/npm/node.mjs";
import { NPM_DIR } from "./helpers.mjs";

const DNS = '{"QueryName":"www.example.co.uk.","QueryType":28,"ResponseCode":0,"Timestamp":1657233726004000123}';
const DNS_NO_FINGERPRINT = '{"QueryName":"www.example.co.uk.","Timestamp":"2022-07-07T22:42:06Z"}';

const errorType = (doc) => (typeof doc === "string" ? JSON.parse(doc) : doc).error?.type;

describe("options", () => {
  test("defaults: auto-detected dataset, message kept", () => {
    const doc = transform(DNS);
    assert.equal(doc.event.dataset, "dns_logs");
    assert.equal(doc.message, DNS);
    assert.equal(doc.dns.question.registered_domain, "example.co.uk");
    assert.deepEqual(transform(DNS, {}), doc);
    assert.deepEqual(transform(DNS, null), doc);
    assert.deepEqual(transform(DNS, { dataset: "auto", keep_message: true, max_record_bytes: 1 << 20 }), doc);
  });

  test("dataset forces the dataset", () => {
    assert.equal(errorType(transform(DNS_NO_FINGERPRINT)), "unknown_dataset");
    const forced = transform(DNS_NO_FINGERPRINT, { dataset: "dns_logs" });
    assert.equal(forced.event.dataset, "dns_logs");
    assert.equal(forced.error, undefined);
  });

  test("keep_message: false drops message from normalized documents only", () => {
    assert.equal(transform(DNS, { keep_message: false }).message, undefined);
    assert.equal(transform("not json", { keep_message: false }).message, "not json");
  });

  test("max_record_bytes gives too_large", () => {
    const doc = transform(DNS, { max_record_bytes: 10 });
    assert.equal(doc.error.type, "too_large");
    assert.equal(doc.event.kind, "pipeline_error");
  });

  test("undefined values are left out, like JSON.stringify does", () => {
    assert.deepEqual(transform(DNS, { dataset: undefined }), transform(DNS));
  });

  const rejected = [
    [{ datset: "dns_logs" }, /unknown option "datset"/],
    [{ keepMessage: false }, /unknown option "keepMessage"/],
    [{ dataset: "dns" }, /unknown dataset "dns"/],
    [{ keep_message: "no" }, /keep_message/],
    [{ max_record_bytes: 0 }, /max_record_bytes/],
    [{ max_record_bytes: 1.5 }, /max_record_bytes/],
    [["dns_logs"], /must be a JSON object/],
    ["dns_logs", /must be a JSON object/],
  ];
  for (const [options, message] of rejected) {
    test(`rejects ${JSON.stringify(options)} at configure time`, () => {
      assert.throws(() => new Normalizer(options), message);
      assert.throws(() => transform(DNS, options), message);
      assert.throws(() => transformJson(DNS, options), message);
      assert.throws(() => transformBatch(DNS, options), message);
    });
  }

  test("a Normalizer keeps its options", () => {
    const normalizer = new Normalizer({ dataset: "dns_logs", keep_message: false });
    const doc = normalizer.transform(DNS_NO_FINGERPRINT);
    assert.equal(doc.event.dataset, "dns_logs");
    assert.equal(doc.message, undefined);
    assert.equal(JSON.parse(normalizer.transformJson(DNS_NO_FINGERPRINT)).event.dataset, "dns_logs");
    assert.equal(normalizer.transformBatch(`${DNS_NO_FINGERPRINT}\n${DNS_NO_FINGERPRINT}\n`).split("\n").length, 3);
    normalizer.free();
    assert.throws(() => normalizer.transform(DNS), "a freed Normalizer is not usable");
  });
});

describe("record types", () => {
  test("string, Uint8Array, Buffer and object give the same document", () => {
    const expected = transform(DNS);
    assert.deepEqual(transform(new TextEncoder().encode(DNS)), expected);
    assert.deepEqual(transform(Buffer.from(DNS)), expected);
    assert.deepEqual(transform(JSON.parse(DNS)).dns, expected.dns);
    assert.equal(transformJson(Buffer.from(DNS)), transformJson(DNS));
  });

  test("an object is JSON.stringify'd: message is the re-serialized text", () => {
    const record = JSON.parse(DNS);
    const doc = transform(record);
    assert.equal(doc.message, JSON.stringify(record));
    // 1657233726004000123 was rounded by JSON.parse; the raw text keeps the nanoseconds.
    assert.notEqual(doc.message, DNS);
  });

  test("the raw text keeps integers beyond 2^53 exact in message", () => {
    assert.equal(JSON.parse(transformJson(DNS)).message, DNS);
  });

  test("non-object JSON values give not_an_object", () => {
    for (const value of [[1, 2], 42, "text", true, null]) {
      assert.equal(errorType(transform(value)), value === "text" ? "invalid_json" : "not_an_object", JSON.stringify(value));
    }
  });

  test("values JSON.stringify cannot serialize throw TypeError", () => {
    const cyclic = {};
    cyclic.self = cyclic;
    assert.throws(() => transform(cyclic), TypeError);
    assert.throws(() => transform({ big: 1n }), TypeError);
    assert.throws(() => transform(undefined), TypeError);
    assert.throws(() => transform(() => 1), TypeError);
  });

  test("transformJson and transformBatch take only text or bytes", () => {
    for (const bad of [undefined, null, 42, {}, [DNS], new Uint16Array(4)]) {
      assert.throws(() => transformJson(bad), TypeError);
      assert.throws(() => transformBatch(bad), TypeError);
    }
  });
});

describe("bad input gives error documents", () => {
  const cases = [
    ["", "invalid_json"],
    ["not json", "invalid_json"],
    ["{", "invalid_json"],
    ['{"a":1}', "unknown_dataset"],
    ["[1]", "not_an_object"],
    ['{"content":"tests"}', "logpush_validation"],
    [`${"[".repeat(200)}${"]".repeat(200)}`, null],
  ];
  for (const [input, type] of cases) {
    test(JSON.stringify(input.slice(0, 30)), () => {
      const doc = transform(input);
      assert.equal(doc.event.kind, "pipeline_error");
      assert.equal(doc.observer.vendor, "Cloudflare");
      if (type) assert.equal(doc.error.type, type);
      assert.equal(doc.message, input, "message keeps the input, even when empty");
    });
  }

  test("invalid UTF-8 bytes are replaced and reported", () => {
    const bytes = Buffer.concat([Buffer.from('{"QueryName":"caf'), Buffer.from([0xe9]), Buffer.from('.example."}')]);
    const doc = transform(bytes);
    assert.equal(doc.error.type, "invalid_utf8");
    assert.ok(doc.message.includes("\uFFFD"));
  });

  const JSON_CHARS = '{}[]":,\\ \n\r0aé';
  test("transformBatch never throws on garbage and keeps one document per line", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const bytes = new Uint8Array(Math.floor(random() * 400));
      for (let i = 0; i < bytes.length; i++) {
        const r = random();
        bytes[i] = r < 0.3 ? JSON_CHARS.charCodeAt(Math.floor(random() * JSON_CHARS.length)) : Math.floor(random() * 256);
      }
      if (round % 2) bytes.set(new TextEncoder().encode(DNS).subarray(0, Math.min(bytes.length, DNS.length)));
      const output = transformBatch(bytes);
      const lines = Buffer.from(bytes).toString("latin1").split("\n").map((l) => l.replace(/\r$/, ""));
      // Blank lines (ASCII whitespace only) are skipped, as design.md §1 says.
      const nonBlank = lines.filter((l) => /[^\x09\x0a\x0c\x0d\x20]/.test(l));
      const docs = output === "" ? [] : output.slice(0, -1).split("\n");
      assert.equal(docs.length, nonBlank.length, `round ${round}`);
      for (const doc of docs) assert.ok(JSON.parse(doc).observer.vendor === "Cloudflare");
    }
  });

  test("large batches, ASCII or not, are the documents of their lines", () => {
    // Over 64 KiB of output: in Node, ASCII output is made a string by Buffer, other by TextDecoder.
    const unicode = DNS.replace("www.example", "www.exämple\\u00e9");
    for (const record of [DNS, unicode]) {
      const lines = Array.from({ length: 400 }, (_, i) => record.replace("www", `w${i}`));
      const expected = lines.map((line) => transformJson(line) + "\n").join("");
      assert.ok(expected.length > 64 * 1024);
      assert.equal(transformBatch(lines.join("\n")), expected);
      assert.equal(transformBatch(new TextEncoder().encode(lines.join("\n"))), expected);
    }
    assert.equal(JSON.parse(transformBatch(unicode)).dns.question.name, "www.exämpleé.co.uk");
  });

  test("a mixed batch: good, garbage and the validation record, in order", () => {
    const output = transformBatch(`${DNS}\ngarbage\n{"content":"tests"}\n${DNS}\n`);
    const docs = output.trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(docs.map((d) => d.error?.type ?? d.event.dataset), ["dns_logs", "invalid_json", "logpush_validation", "dns_logs"]);
    assert.equal(docs[1].message, "garbage");
  });
});

describe("entry points", () => {
  test("CommonJS and ESM share one instance", async () => {
    const { createRequire } = await import("node:module");
    const cjs = createRequire(import.meta.url)(join(NPM_DIR, "node.cjs"));
    assert.equal(cjs.Normalizer, Normalizer);
    assert.equal(cjs.transform, transform);
  });

  test("browser.mjs loads the module next to it with fetch and top-level await", async () => {
    const realFetch = globalThis.fetch;
    const fetched = [];
    globalThis.fetch = async (url) => {
      fetched.push(String(url));
      return new Response(await readFile(new URL(url)), { headers: { "Content-Type": "application/wasm" } });
    };
    try {
      const browser = await import(pathToFileURL(join(NPM_DIR, "browser.mjs")).href);
      assert.deepEqual(fetched, [pathToFileURL(join(NPM_DIR, "cloudflare_ecs_bg.wasm")).href]);
      assert.deepEqual(Object.keys(browser).sort(), ["Normalizer", "transform", "transformBatch", "transformJson"]);
      assert.equal(browser.transformJson(DNS), transformJson(DNS));
      assert.deepEqual(browser.transform(DNS), transform(DNS));
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});
