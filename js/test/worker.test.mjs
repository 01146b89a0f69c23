// The Worker (js/worker/src/index.mjs) in the real Workers runtime: workerd, driven by
// miniflare, importing the packed npm package through its "workerd" export, and a mock
// destination (an HTTP server in this process). Everything listens on 127.0.0.1 only.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, beforeEach, describe, test } from "node:test";
import { gzipSync } from "node:zlib";

import { Miniflare } from "miniflare";

import { transformBatch } from "../../dist/npm/node.mjs";
import { assertSameDocument, isSingleLine, isUtf8, loadFixtures, recordId, workerModules } from "./helpers.mjs";

const SECRET = "logpush-shared-secret-1";
/** Retries after 10, 20, 40 ms (DESTINATION_RETRIES: 3, the default), a 300 ms timeout. */
const FAST_RETRIES = { DESTINATION_RETRY_MS: "10", DESTINATION_TIMEOUT_MS: "300" };
const INDEX = "logs-cloudflare.ecs-default";
/** The `_bulk` action line of a record's document. */
const bulkAction = (record) => JSON.stringify({ create: { _index: INDEX, _id: recordId(record) } });

/** Requests the mock destination received, and how it answers: `next` ones first, then `answer`. */
const destination = { requests: [], next: [], answer: "bulk-ok" };
let server;
let destinationUrl;
let closedPortUrl;
let mf;

function startDestination() {
  server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      destination.requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      const items = body.split("\n").filter((l, i) => l && i % 2 === 1);
      const answer = destination.next.shift() ?? destination.answer;
      const item = (status, type, reason) => ({ create: { _index: INDEX, status, error: { type, reason } } });
      switch (answer) {
        case "bulk-ok":
          return json(res, 200, { took: 1, errors: false, items: items.map(() => ({ create: { _index: INDEX, status: 201, result: "created" } })) });
        case "bulk-errors":
          return json(res, 200, {
            took: 1,
            errors: true,
            items: items.map((_, i) => ({ create: i === 0 ? { _index: INDEX, status: 400, error: { type: "mapper_parsing_exception", reason: "failed to parse field [source.ip]" } } : { _index: INDEX, status: 201 } })),
          });
        case "bulk-mixed": // the first item rejected for its content, the second for load
          return json(res, 200, {
            took: 1,
            errors: true,
            items: items.map((_, i) => (i === 0 ? item(400, "document_parsing_exception", "[1:2] failed to parse field [source.ip] of type [ip]") : i === 1 ? item(429, "es_rejected_execution_exception", "rejected execution") : { create: { _index: INDEX, status: 201 } })),
          });
        case "bulk-forbidden":
          return json(res, 200, { took: 1, errors: true, items: items.map(() => item(403, "security_exception", "action [indices:data/write/bulk[s]] is unauthorized")) });
        case "bulk-conflict": // every other document was created by an earlier delivery
          return json(res, 200, {
            took: 1,
            errors: true,
            items: items.map((_, i) => ({ create: i % 2 ? { _index: INDEX, status: 409, error: { type: "version_conflict_engine_exception", reason: "document already exists" } } : { _index: INDEX, status: 201 } })),
          });
        case "ok":
          return json(res, 200, {});
        case "unavailable":
          return json(res, 503, { error: "cluster_block_exception" });
        case "busy":
          return json(res, 429, { error: { type: "es_rejected_execution_exception" }, status: 429 });
        case "hang-up":
          return req.socket.destroy();
        case "slow": // stored, but the answer comes after the Worker's DESTINATION_TIMEOUT_MS
          return setTimeout(() => json(res, 200, { took: 1, errors: false, items: items.map(() => ({ create: { status: 201 } })) }), 600);
      }
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
}

function json(res, status, body) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

/** A port nothing listens on: bound, noted, closed. */
async function closedPort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function worker(name, bindings) {
  return {
    name,
    modules: workerModules(),
    modulesRoot: "/worker",
    compatibilityDate: "2025-01-01",
    bindings: { LOGPUSH_SECRET: SECRET, ...bindings },
  };
}

const post = (workerName, body, { path = "/", secret = SECRET, headers = {} } = {}) =>
  mf.getWorker(workerName).then((w) =>
    w.fetch(`http://logpush.example${path}`, {
      method: "POST",
      headers: { ...(secret === null ? {} : { "X-Logpush-Secret": secret }), ...headers },
      body,
    }),
  );

const fixtures = loadFixtures().filter((f) => isSingleLine(f) && isUtf8(f) && f.options === undefined);
const batchText = fixtures.map((f) => new TextDecoder().decode(f.input)).join("\n") + "\n";
/** Fixtures whose document is delivered (the validation record is acknowledged, not sent). */
const delivered = fixtures.filter((f) => f.expected.error?.type !== "logpush_validation");
/** The documents of `transformBatch` that the Worker forwards, one per line. */
const forwarded = (documents) => documents.split("\n").filter((doc) => doc && !doc.includes('"type":"logpush_validation"'));
/** The `_bulk` body the Worker sends for NDJSON text: action (with the record's `_id`) + document. */
const expectedBulk = (ndjson) => {
  const records = ndjson.split("\n").filter((line) => line.trim());
  const documents = transformBatch(ndjson).split("\n");
  return records
    .map((record, i) => [record, documents[i]])
    .filter(([, doc]) => forwarded(doc).length)
    .map(([record, doc]) => `${bulkAction(record)}\n${doc}\n`)
    .join("");
};

describe("the Logpush Worker in workerd", { timeout: 120_000 }, () => {
  before(async () => {
    await startDestination();
    destinationUrl = `http://127.0.0.1:${server.address().port}`;
    closedPortUrl = `http://127.0.0.1:${await closedPort()}/_bulk`;
    mf = new Miniflare({
      host: "127.0.0.1",
      workers: [
        worker("bulk", { DESTINATION_URL: `${destinationUrl}/_bulk`, BULK_INDEX: INDEX, DESTINATION_AUTHORIZATION: "ApiKey abc123", ...FAST_RETRIES }),
        worker("routed", { DESTINATION_URL: `${destinationUrl}/_bulk`, BULK_INDEX: "logs-cloudflare.{dataset}-default", ...FAST_RETRIES }),
        worker("errorindex", { DESTINATION_URL: `${destinationUrl}/_bulk`, BULK_INDEX: INDEX, ERROR_INDEX: "cloudflare-errors", ...FAST_RETRIES }),
        worker("badindex", { DESTINATION_URL: `${destinationUrl}/_bulk`, BULK_INDEX: "logs-cloudflare.{data_set}-default" }),
        worker("ndjson", { DESTINATION_URL: `${destinationUrl}/ingest`, DESTINATION_TYPE: "ndjson", LOGPUSH_SECRET_HEADER: "Authorization", ...FAST_RETRIES }),
        worker("chunked", { DESTINATION_URL: `${destinationUrl}/_bulk`, BULK_INDEX: INDEX, CHUNK_BYTES: "2000" }),
        worker("down", { DESTINATION_URL: closedPortUrl, BULK_INDEX: INDEX, ...FAST_RETRIES }),
        worker("misconfigured", { BULK_INDEX: INDEX }),
      ],
    });
    await mf.ready;
  });

  after(async () => {
    await mf?.dispose();
    server?.close();
  });

  beforeEach(() => {
    destination.requests.length = 0;
    destination.next.length = 0;
    destination.answer = "bulk-ok";
  });

  test("a gzipped Logpush batch is delivered to _bulk as action+document pairs", async () => {
    assert.ok(fixtures.length >= 5);
    const res = await post("bulk", gzipSync(batchText));
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { received: fixtures.length, delivered: delivered.length, rejected: 0 });

    assert.equal(destination.requests.length, 1);
    const [req] = destination.requests;
    assert.equal(req.method, "POST");
    assert.equal(req.url, "/_bulk");
    assert.equal(req.headers["content-type"], "application/x-ndjson");
    assert.equal(req.headers.authorization, "ApiKey abc123");
    assert.equal(req.body, expectedBulk(batchText));

    const lines = req.body.trimEnd().split("\n");
    assert.equal(lines.length, 2 * delivered.length);
    delivered.forEach((fixture, i) => {
      assert.equal(lines[2 * i], bulkAction(new TextDecoder().decode(fixture.input)));
      assertSameDocument(lines[2 * i + 1], fixture.expected, fixture.name);
    });
  });

  test("gzip with Content-Encoding: gzip, and an uncompressed body, give the same delivery", async () => {
    const expected = expectedBulk(batchText);
    for (const [body, headers] of [
      [gzipSync(batchText), { "Content-Encoding": "gzip", "Content-Type": "application/x-ndjson" }],
      [batchText, { "Content-Type": "application/x-ndjson" }],
      [batchText.replaceAll("\n", "\r\n"), {}],
    ]) {
      destination.requests.length = 0;
      const res = await post("bulk", body, { headers });
      assert.equal(res.status, 200, await res.text());
      assert.equal(destination.requests.length, 1);
      assert.equal(destination.requests[0].body, expected);
    }
  });

  test("a large batch is forwarded in several _bulk requests of whole lines, in order", async () => {
    const batch = batchText.repeat(4);
    const res = await post("chunked", gzipSync(batch));
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { received: 4 * fixtures.length, delivered: 4 * delivered.length, rejected: 0 });
    assert.ok(destination.requests.length >= 4, `${destination.requests.length} requests`);
    for (const req of destination.requests) {
      const lines = req.body.trimEnd().split("\n");
      assert.equal(lines.length % 2, 0);
      lines.forEach((line, i) => (i % 2 ? JSON.parse(line) : assert.equal(JSON.parse(line).create._index, INDEX)));
    }
    assert.equal(destination.requests.map((r) => r.body).join(""), expectedBulk(batch));
  });

  test("Logpush's validation upload is acknowledged and not forwarded", async () => {
    const res = await post("bulk", gzipSync('{"content":"tests"}'));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { received: 1, delivered: 0, rejected: 0 });
    const empty = await post("bulk", gzipSync("\n"));
    assert.equal(empty.status, 200);
    assert.equal(destination.requests.length, 0);
  });

  test("a wrong or missing secret gets 401 and nothing is forwarded", async () => {
    // One small record: workerd resets the connection when it answers before reading a
    // large body, which undici reports as a failed fetch (Cloudflare's edge does not).
    const body = gzipSync(fixtures[0].input);
    for (const secret of ["wrong", `${SECRET}x`, SECRET.slice(0, -1), "", null]) {
      const res = await post("bulk", body, { secret });
      assert.equal(res.status, 401, `secret ${JSON.stringify(secret)}`);
    }
    const res = await post("bulk", body, { secret: null, headers: { Authorization: SECRET } });
    assert.equal(res.status, 401, "the secret in another header");
    assert.equal(destination.requests.length, 0);
    assert.equal((await post("bulk", body)).status, 200, "the right secret");
  });

  test("a batch sent again gets the same _ids; 409 (already there) counts as delivered", async () => {
    const first = await post("bulk", gzipSync(batchText));
    assert.equal(first.status, 200);
    destination.answer = "bulk-conflict";
    const again = await post("bulk", gzipSync(batchText));
    assert.equal(again.status, 200, await again.clone().text());
    assert.deepEqual(await again.json(), { received: fixtures.length, delivered: delivered.length, rejected: 0 });
    assert.equal(destination.requests.length, 2);
    assert.equal(destination.requests[1].body, destination.requests[0].body);
    const ids = destination.requests[0].body.split("\n").filter((_, i) => i % 2 === 0 && _).map((line) => JSON.parse(line).create._id);
    assert.equal(new Set(ids).size, delivered.length, "one _id per record");
    for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{43}$/);
  });

  test("destination down or failing after the retries: 5xx, so Logpush retries", async () => {
    const down = await post("down", gzipSync(batchText));
    assert.equal(down.status, 502, "connection refused");
    assert.match(await down.text(), /unreachable.*gave up after 4 tries/);
    // Load failures are retried (DESTINATION_RETRIES: 3); answers that retrying cannot mend are not.
    for (const [answer, requests, pattern] of [
      ["unavailable", 4, /answered 503.*gave up after 4 tries/],
      ["busy", 4, /answered 429.*gave up after 4 tries/],
      ["hang-up", 4, /unreachable.*gave up after 4 tries/],
      ["slow", 4, /no answer within 300 ms.*gave up after 4 tries/],
      ["ok", 1, /_bulk answered errors: undefined with 0 items/],
      ["bulk-forbidden", 1, /refused a document with 403: security_exception/],
      ["bulk-errors", 2, /refused the error document of a rejected document with 400: mapper_parsing_exception/],
    ]) {
      destination.requests.length = 0;
      destination.answer = answer;
      const res = await post("bulk", gzipSync(batchText));
      const text = await res.text();
      assert.equal(res.status, 502, `${answer}: ${text}`);
      assert.match(text, pattern, answer);
      assert.equal(destination.requests.length, requests, answer);
    }
  });

  test("a document rejected for its content is delivered as an error document, one refused for load again", async () => {
    destination.next.push("bulk-mixed");
    const res = await post("bulk", gzipSync(batchText));
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { received: fixtures.length, delivered: delivered.length, rejected: 1 });
    assert.equal(destination.requests.length, 2);
    assert.equal(destination.requests[0].body, expectedBulk(batchText));
    // The second request: the first document's error document (its own `_id`), then the second document as it was.
    const sent = destination.requests[0].body.split("\n");
    const first = new TextDecoder().decode(delivered[0].input);
    const errorDocument = {
      error: { message: "document_parsing_exception: [1:2] failed to parse field [source.ip] of type [ip]", type: "destination_rejected" },
      event: { dataset: JSON.parse(sent[1]).event.dataset, kind: "pipeline_error" },
      message: first,
      observer: { vendor: "Cloudflare" },
    };
    assert.ok(errorDocument.event.dataset);
    const errorAction = JSON.stringify({ create: { _index: INDEX, _id: `${recordId(first)}-rejected` } });
    assert.equal(destination.requests[1].body, `${errorAction}\n${JSON.stringify(errorDocument)}\n${sent[2]}\n${sent[3]}\n`);
  });

  test("load failures are retried with backoff: 429, 503, a slow answer, then delivered", async () => {
    destination.next.push("busy", "unavailable", "slow");
    const started = performance.now();
    const res = await post("bulk", gzipSync(batchText));
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { received: fixtures.length, delivered: delivered.length, rejected: 0 });
    assert.equal(destination.requests.length, 4);
    for (const req of destination.requests) assert.equal(req.body, expectedBulk(batchText));
    // Backoffs of 10, 20, 40 ms, each 50-100 % of that (jitter), and the 300 ms timeout.
    assert.ok(performance.now() - started >= 300 + 5 + 10 + 20, `${performance.now() - started} ms`);
  });

  test("BULK_INDEX with {dataset}: each document to its dataset's data stream, error documents to the error index", async () => {
    destination.next.push("bulk-mixed");
    const res = await post("routed", gzipSync(batchText));
    assert.equal(res.status, 200, await res.clone().text());
    const [first, second] = destination.requests.map((req) => req.body.trimEnd().split("\n"));
    const documents = forwarded(transformBatch(batchText)).map((doc) => JSON.parse(doc));
    const indices = first.filter((_, i) => i % 2 === 0).map((line) => JSON.parse(line).create._index);
    const expected = documents.map((doc) => (doc.event.kind === "pipeline_error" ? "logs-cloudflare.errors-default" : `logs-cloudflare.${doc.event.dataset}-default`));
    assert.deepEqual(indices, expected);
    assert.ok(new Set(expected).size >= 4, [...new Set(expected)].join(" "));
    assert.ok(expected.includes("logs-cloudflare.errors-default"), "the fixtures include error documents");
    // The rejected document's error document goes to the error index, keeping its dataset.
    assert.equal(JSON.parse(second[0]).create._index, "logs-cloudflare.errors-default");
    assert.equal(JSON.parse(second[1]).event.dataset, documents[0].event.dataset);
    assert.equal(JSON.parse(second[2]).create._index, expected[1]);

    // A forced dataset (?dataset=): its data stream, and error documents still to the error index.
    destination.requests.length = 0;
    const dns = '{"QueryName":"www.example.com.","Timestamp":"2022-07-07T22:42:06Z"}';
    const forced = await post("routed", gzipSync(`${dns}\ngarbage\n{"QueryName":"pipeline_error","Timestamp":1657233726}\n`), { path: "/?dataset=dns_logs" });
    assert.equal(forced.status, 200, await forced.clone().text());
    const routedTo = destination.requests[0].body.trimEnd().split("\n").filter((_, i) => i % 2 === 0).map((line) => JSON.parse(line).create._index);
    assert.deepEqual(routedTo, ["logs-cloudflare.dns_logs-default", "logs-cloudflare.errors-default", "logs-cloudflare.dns_logs-default"]);

    // A plain BULK_INDEX with an ERROR_INDEX: documents to the one, error documents to the other.
    destination.requests.length = 0;
    assert.equal((await post("errorindex", gzipSync(batchText))).status, 200);
    const plain = destination.requests[0].body.trimEnd().split("\n").filter((_, i) => i % 2 === 0).map((line) => JSON.parse(line).create._index);
    assert.deepEqual(plain, expected.map((index) => (index === "logs-cloudflare.errors-default" ? "cloudflare-errors" : INDEX)));

    const bad = await post("badindex", gzipSync(fixtures[0].input)); // small: see the 401 test
    assert.equal(bad.status, 500);
    assert.match(await bad.text(), /BULK_INDEX may hold \{dataset\} and no other braces/);
  });

  test("garbage lines are delivered as error documents, every line in order", async () => {
    const good = new TextDecoder().decode(fixtures[0].input);
    const lines = [good, "garbage", '{"truncated":', good, '{"unknown":"dataset"}', "[1,2]"];
    const raw = Buffer.concat([Buffer.from(lines.join("\n")), Buffer.from([0x0a, 0x7b, 0xff, 0xfe, 0x7d, 0x0a])]);
    const res = await post("bulk", gzipSync(raw));
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { received: 7, delivered: 7, rejected: 0 });
    const docs = destination.requests[0].body.trimEnd().split("\n").filter((_, i) => i % 2 === 1).map((l) => JSON.parse(l));
    assert.deepEqual(
      docs.map((d) => d.error?.type ?? "ok"),
      ["ok", "invalid_json", "invalid_json", "ok", "unknown_dataset", "not_an_object", "invalid_utf8"],
    );
    assert.deepEqual(docs.slice(1, 3).map((d) => d.message), ["garbage", '{"truncated":']);
    for (const doc of docs.filter((d) => d.error)) assert.equal(doc.event.kind, "pipeline_error");
  });

  test("the dataset query parameter forces the dataset; an unknown one is refused", async () => {
    const record = '{"QueryName":"www.example.com.","Timestamp":"2022-07-07T22:42:06Z"}';
    const auto = await post("bulk", gzipSync(record));
    assert.equal(auto.status, 200);
    assert.equal(JSON.parse(destination.requests[0].body.split("\n")[1]).error.type, "unknown_dataset");

    destination.requests.length = 0;
    const forced = await post("bulk", gzipSync(record), { path: "/?dataset=dns_logs" });
    assert.equal(forced.status, 200);
    const doc = JSON.parse(destination.requests[0].body.split("\n")[1]);
    assert.equal(doc.event.dataset, "dns_logs");
    assert.equal(doc.dns.question.name, "www.example.com");

    destination.requests.length = 0;
    const unknown = await post("bulk", gzipSync(record), { path: "/?dataset=dns" });
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /unknown dataset/);
    assert.equal(destination.requests.length, 0);
  });

  test("a plain NDJSON destination receives the documents", async () => {
    destination.answer = "ok";
    const res = await post("ndjson", gzipSync(batchText), { secret: null, headers: { Authorization: SECRET } });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(destination.requests.length, 1);
    assert.equal(destination.requests[0].url, "/ingest");
    assert.equal(destination.requests[0].body, forwarded(transformBatch(batchText)).map((doc) => `${doc}\n`).join(""));

    destination.answer = "unavailable";
    const failed = await post("ndjson", gzipSync(batchText), { secret: null, headers: { Authorization: SECRET } });
    assert.equal(failed.status, 502);
  });

  test("other methods, broken gzip and missing configuration", async () => {
    const bulk = await mf.getWorker("bulk");
    const get = await bulk.fetch("http://logpush.example/", { headers: { "X-Logpush-Secret": SECRET } });
    assert.equal(get.status, 405);
    const unauthenticatedGet = await bulk.fetch("http://logpush.example/");
    assert.equal(unauthenticatedGet.status, 401);

    const truncated = gzipSync(batchText).subarray(0, 40);
    const broken = await post("bulk", truncated);
    assert.equal(broken.status, 400);

    const misconfigured = await post("misconfigured", gzipSync(fixtures[0].input)); // small: see the 401 test
    assert.equal(misconfigured.status, 500);
    assert.match(await misconfigured.text(), /DESTINATION_URL/);
    assert.equal(destination.requests.length, 0);
  });
});
