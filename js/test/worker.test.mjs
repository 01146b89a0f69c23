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
const INDEX = "logs-cloudflare.ecs-default";
/** The `_bulk` action line of a record's document. */
const bulkAction = (record) => JSON.stringify({ create: { _index: INDEX, _id: recordId(record) } });

/** Requests the mock destination received, and how it answers the next ones. */
const destination = { requests: [], answer: "bulk-ok" };
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
      switch (destination.answer) {
        case "bulk-ok":
          return json(res, 200, { took: 1, errors: false, items: items.map(() => ({ create: { _index: INDEX, status: 201, result: "created" } })) });
        case "bulk-errors":
          return json(res, 200, {
            took: 1,
            errors: true,
            items: items.map((_, i) => ({ create: i === 0 ? { _index: INDEX, status: 400, error: { type: "mapper_parsing_exception", reason: "failed to parse field [source.ip]" } } : { _index: INDEX, status: 201 } })),
          });
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
        case "hang-up":
          return req.socket.destroy();
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
        worker("bulk", { DESTINATION_URL: `${destinationUrl}/_bulk`, BULK_INDEX: INDEX, DESTINATION_AUTHORIZATION: "ApiKey abc123" }),
        worker("ndjson", { DESTINATION_URL: `${destinationUrl}/ingest`, DESTINATION_TYPE: "ndjson", LOGPUSH_SECRET_HEADER: "Authorization" }),
        worker("chunked", { DESTINATION_URL: `${destinationUrl}/_bulk`, BULK_INDEX: INDEX, CHUNK_BYTES: "2000" }),
        worker("down", { DESTINATION_URL: closedPortUrl, BULK_INDEX: INDEX }),
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
    destination.answer = "bulk-ok";
  });

  test("a gzipped Logpush batch is delivered to _bulk as action+document pairs", async () => {
    assert.ok(fixtures.length >= 5);
    const res = await post("bulk", gzipSync(batchText));
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { received: fixtures.length, delivered: delivered.length });

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
    assert.deepEqual(await res.json(), { received: 4 * fixtures.length, delivered: 4 * delivered.length });
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
    assert.deepEqual(await res.json(), { received: 1, delivered: 0 });
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
    assert.deepEqual(await again.json(), { received: fixtures.length, delivered: delivered.length });
    assert.equal(destination.requests.length, 2);
    assert.equal(destination.requests[1].body, destination.requests[0].body);
    const ids = destination.requests[0].body.split("\n").filter((_, i) => i % 2 === 0 && _).map((line) => JSON.parse(line).create._id);
    assert.equal(new Set(ids).size, delivered.length, "one _id per record");
    for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{43}$/);
  });

  test("destination down or failing: 5xx, so Logpush retries", async () => {
    const down = await post("down", gzipSync(batchText));
    assert.equal(down.status, 502, "connection refused");
    for (const answer of ["unavailable", "bulk-errors", "hang-up", "ok"]) {
      destination.answer = answer;
      const res = await post("bulk", gzipSync(batchText));
      const text = await res.text();
      assert.ok(res.status >= 500 && res.status < 600, `${answer}: ${res.status} ${text}`);
      if (answer === "bulk-errors") assert.match(text, /mapper_parsing_exception/);
    }
  });

  test("garbage lines are delivered as error documents, every line in order", async () => {
    const good = new TextDecoder().decode(fixtures[0].input);
    const lines = [good, "garbage", '{"truncated":', good, '{"unknown":"dataset"}', "[1,2]"];
    const raw = Buffer.concat([Buffer.from(lines.join("\n")), Buffer.from([0x0a, 0x7b, 0xff, 0xfe, 0x7d, 0x0a])]);
    const res = await post("bulk", gzipSync(raw));
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { received: 7, delivered: 7 });
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
