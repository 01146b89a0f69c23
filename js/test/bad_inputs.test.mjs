// The bad-input corpus (fixtures/bad-inputs/*.bin) through the npm package: every record
// and every non-blank batch line yields exactly one JSON object document, error documents
// keep the original text, nothing throws, and the module keeps working afterwards.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { transform, transformBatch, transformJson } from "../../dist/npm/node.mjs";
import { FIXTURES_DIR } from "./helpers.mjs";

const BAD_DIR = join(FIXTURES_DIR, "bad-inputs");
const cases = readdirSync(BAD_DIR)
  .filter((file) => file.endsWith(".bin"))
  .sort()
  .map((file) => ({ name: file, bytes: readFileSync(join(BAD_DIR, file)) }));

// Rust's `u8::is_ascii_whitespace`: the core skips lines made only of these.
const isBlank = (line) => line.every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0c || b === 0x0d);

function assertDocument(text, what) {
  assert.ok(!text.includes("\n"), `${what}: one line`);
  const doc = JSON.parse(text);
  assert.equal(typeof doc, "object", what);
  assert.ok(doc !== null && !Array.isArray(doc), `${what}: an object`);
  assert.equal(doc.observer?.vendor, "Cloudflare", what);
  if (doc.event?.kind === "pipeline_error") {
    assert.equal(typeof doc.error?.type, "string", `${what}: error.type`);
    assert.equal(typeof doc.message, "string", `${what}: an error document keeps the original`);
  }
  return doc;
}

test("the corpus is there", () => assert.ok(cases.length >= 30, `only ${cases.length} bad inputs`));

test("every bad input, one record at a time, yields one document", () => {
  for (const { name, bytes } of cases) {
    const viaJson = assertDocument(transformJson(bytes), `${name} (transformJson)`);
    assert.deepEqual(transform(bytes), viaJson, `${name}: transform and transformJson agree`);
  }
});

test("the corpus as one batch yields one document per non-blank line, in order", () => {
  const lines = [];
  for (const { bytes } of cases) {
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        let line = bytes.subarray(start, i);
        if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, -1);
        if (!isBlank(line)) lines.push(line);
        start = i + 1;
      }
    }
  }
  const batch = Buffer.concat(cases.flatMap(({ bytes }) => [bytes, Buffer.from("\n")]));
  const out = transformBatch(batch);
  const docs = out.split("\n");
  assert.equal(docs.pop(), "", "the output ends with a newline");
  assert.equal(docs.length, lines.length, "one document per non-blank line");
  docs.forEach((doc, i) => {
    assert.equal(doc, transformJson(lines[i]), `line ${i}: the batch gives that line's own document`);
    assertDocument(doc, `line ${i}`);
  });
});

test("the module still normalizes a good record afterwards", () => {
  const doc = transform('{"QueryName":"www.example.co.uk.","QueryType":28,"ResponseCode":0,"Timestamp":1657233726004000000}');
  assert.equal(doc.event.dataset, "dns_logs");
  assert.equal(doc["@timestamp"], "2022-07-07T22:42:06.004000Z");
  assert.equal(doc.dns.question.registered_domain, "example.co.uk");
});
