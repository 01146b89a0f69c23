// Every fixture through the npm package's API: transform, transformJson, transformBatch and
// the Normalizer class, as Node loads the package (dist/npm/node.mjs over node.cjs), and the
// whole set once more through the web glue that Workers and browsers use.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

import { Normalizer, transform, transformBatch, transformJson } from "../../dist/npm/node.mjs";
import * as web from "../../dist/npm/web.mjs";
import { assertSameDocument, isSingleLine, isUtf8, loadFixtures, NPM_DIR, parseIsLossy } from "./helpers.mjs";

const fixtures = loadFixtures();
const text = (bytes) => new TextDecoder().decode(bytes);
const concat = (parts) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p)));

describe("every fixture, one record at a time", () => {
  for (const fixture of fixtures) {
    test(fixture.name, () => {
      const { input, expected, options } = fixture;
      assertSameDocument(transformJson(input, options), expected, "transformJson(Uint8Array)");
      assertSameDocument(transform(input, options), expected, "transform(Uint8Array)");
      // A JS string cannot hold invalid UTF-8: such records are passed as bytes only.
      if (isUtf8(fixture)) {
        assertSameDocument(transformJson(text(input), options), expected, "transformJson(string)");
        assertSameDocument(transform(text(input), options), expected, "transform(string)");
      }

      const normalizer = new Normalizer(options);
      try {
        assertSameDocument(normalizer.transformJson(input), expected, "Normalizer#transformJson");
        assertSameDocument(normalizer.transform(input), expected, "Normalizer#transform");
        if (isSingleLine(fixture)) {
          assert.equal(normalizer.transformBatch(input), `${normalizer.transformJson(input)}\n`, "Normalizer#transformBatch");
        }
      } finally {
        normalizer.free();
      }
    });
  }
});

describe("every fixture as an object from JSON.parse", () => {
  for (const fixture of fixtures) {
    if (!isUtf8(fixture)) continue;
    const source = text(fixture.input);
    let parsed;
    try {
      parsed = JSON.parse(source);
    } catch {
      continue; // not JSON: there is no object to pass
    }
    test(fixture.name, (t) => {
      if (parseIsLossy(source)) {
        t.skip("JSON.parse loses digits of this record's numbers (see the README on exact times)");
        return;
      }
      const actual = transform(parsed, fixture.options);
      const expected = structuredClone(fixture.expected);
      if (JSON.stringify(parsed) !== source) {
        // The record was re-serialized, so `message` holds JSON.stringify's text.
        for (const doc of [actual, expected]) delete doc.message;
      }
      assertSameDocument(actual, expected);
    });
  }
});

describe("transformBatch over all single-line fixtures without options", () => {
  const batchable = fixtures.filter((f) => isSingleLine(f) && f.options === undefined);
  const texts = batchable.filter(isUtf8);

  const check = (output, cases) => {
    assert.ok(output.endsWith("\n"), "every document ends with a newline");
    const docs = output.slice(0, -1).split("\n");
    assert.equal(docs.length, cases.length, "one document per non-blank line");
    docs.forEach((doc, i) => assertSameDocument(doc, cases[i].expected, cases[i].name));
  };

  test(`${batchable.length} records as bytes, \\n-separated`, () => {
    assert.ok(batchable.length >= 5, "enough single-line fixtures to make a batch");
    check(transformBatch(concat(batchable.flatMap((f) => [f.input, "\n"]))), batchable);
  });

  test("as bytes, with CRLF line ends, blank lines and no final newline", () => {
    const parts = batchable.flatMap((f, i) => (i === 0 ? ["\n", f.input] : ["\r\n\r\n  \n", f.input]));
    check(transformBatch(concat(parts)), batchable);
  });

  test(`${texts.length} valid UTF-8 records as a string, through a Normalizer`, () => {
    const normalizer = new Normalizer();
    check(normalizer.transformBatch(texts.map((f) => `${text(f.input)}\n`).join("")), texts);
    normalizer.free();
  });

  test("the web glue (Workers, browsers) gives the same bytes as the Node glue", () => {
    web.initSync({ module: readFileSync(join(NPM_DIR, "cloudflare_ecs_bg.wasm")) });
    const ndjson = concat(batchable.flatMap((f) => [f.input, "\n"]));
    assert.equal(web.transformBatch(ndjson), transformBatch(ndjson));
    for (const fixture of fixtures) {
      assert.equal(web.transformJson(fixture.input, fixture.options), transformJson(fixture.input, fixture.options), fixture.name);
    }
  });
});
