// The Worker's delivery under faults, in workerd via miniflare: 1,000 Logpush batches against a
// fake Elasticsearch `_bulk` on 127.0.0.1 that answers at random (seeded) 429, 500, too late
// (beyond DESTINATION_TIMEOUT_MS, with or without having stored the documents), and per-item
// rejections: 429 and 503 for load, 400 for content (deterministic, as a mapping conflict is:
// every document whose `url.path` starts with `/reject`). Logpush is simulated by sending a
// batch again until it gets a 2xx. At the end, every record is in the destination exactly
// once — as its document, or as the error document standing for it — and no batch got a 2xx
// before every one of its records was stored.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";

import { Miniflare } from "miniflare";

import { recordId, workerModules } from "./helpers.mjs";

const SEED = Number(process.env.FAULT_SEED ?? 22);
const BATCHES = 1000;
const CONCURRENCY = 4; // Logpush pushes several batches at once
const MAX_ATTEMPTS = 50; // per batch: beyond, the test fails instead of running on
const TIMEOUT_MS = 150; // DESTINATION_TIMEOUT_MS
const SECRET = "fault-test-secret";
const ERROR_INDEX = "logs-cloudflare.errors-default";

/**
 * mulberry32: a small seeded PRNG (FAULT_SEED). The batches are the same for a seed; which
 * request meets which fault also depends on the order requests arrive in, 4 at a time.
 */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------- the batches

/**
 * 1,000 batches of 1–20 lines: HTTP requests and DNS queries (a few rejected by the
 * destination for their content), lines that normalize to error documents, and lines sent
 * before (in an earlier batch or the same one), whose `_id` is the same.
 */
function makeBatches(random) {
  const batches = [];
  const sent = [];
  let serial = 0;
  const next = () => {
    serial += 1;
    const roll = random();
    const time = 1_657_233_726 + serial;
    if (roll < 0.55) {
      const path = random() < 0.08 ? `/reject/${serial}` : `/page/${serial}`;
      return `{"ClientIP":"203.0.113.${serial % 250}","ClientRequestHost":"www.example.com","ClientRequestMethod":"GET","ClientRequestURI":"${path}","EdgeResponseStatus":200,"EdgeStartTimestamp":${time}004000000,"RayID":"${serial.toString(16).padStart(16, "0")}"}`;
    }
    if (roll < 0.9) return `{"QueryName":"h${serial}.example.com.","QueryType":1,"ResponseCode":0,"Timestamp":${time}}`;
    return [`not json ${serial}`, `[${serial}]`, `{"unknown":${serial}}`][serial % 3];
  };
  for (let b = 0; b < BATCHES; b++) {
    const size = 1 + Math.floor(random() * 20);
    const lines = [];
    for (let i = 0; i < size; i++) {
      const line = sent.length && random() < 0.1 ? sent[Math.floor(random() * sent.length)] : next();
      lines.push(line);
      sent.push(line);
    }
    batches.push(lines);
  }
  return batches;
}

// ---------------------------------------------------------------- the fake destination

/** What `_bulk` stored, by `_id`, and what happened. */
const store = new Map();
const figures = {
  bulkRequests: 0,
  items: 0,
  created: 0,
  conflicts: 0,
  rejected400: 0,
  item429: 0,
  item503: 0,
  whole429: 0,
  whole500: 0,
  lateStored: 0,
  lateLost: 0,
};
const workerLogs = {};
/** Whatever the fake destination found wrong (an exception in its handler would not fail the test). */
const violations = [];

function destinationServer(random) {
  return (req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      figures.bulkRequests += 1;
      const roll = random();
      if (roll < 0.07) {
        figures.whole429 += 1;
        return json(res, 429, { error: { type: "es_rejected_execution_exception", reason: "rejected execution of coordinating operation" }, status: 429 });
      }
      if (roll < 0.14) {
        figures.whole500 += 1;
        return json(res, 500, { error: { type: "internal_server_error" }, status: 500 });
      }
      const late = roll < 0.18;
      if (late && random() < 0.5) {
        // No answer in time, and nothing done (the node died before it indexed).
        figures.lateLost += 1;
        return setTimeout(() => req.socket.destroy(), TIMEOUT_MS + 100);
      }
      const body = bulk(Buffer.concat(chunks).toString("utf8"), random);
      if (!late) return json(res, 200, body);
      // Indexed, but the answer comes after the Worker stopped waiting.
      figures.lateStored += 1;
      setTimeout(() => json(res, 200, body), TIMEOUT_MS + 100);
    });
  };
}

/** Applies a `_bulk` body to the store; its answer. */
function bulk(text, random) {
  const lines = text.split("\n");
  if (lines.pop() !== "" || lines.length % 2) violations.push(`a _bulk body that is not action/document pairs: ${text.slice(0, 200)}`);
  const items = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    figures.items += 1;
    const { create } = JSON.parse(lines[i]);
    const doc = JSON.parse(lines[i + 1]);
    const isError = doc.event?.kind === "pipeline_error";
    const index = isError ? ERROR_INDEX : `logs-cloudflare.${doc.event.dataset}-default`;
    if (create?._index !== index) violations.push(`${create?._id} to ${create?._index}, not ${index}`);
    if (!/^[A-Za-z0-9_-]{43}(-rejected)?$/.test(create?._id)) violations.push(`an _id ${create?._id}`);
    const item = (status, error) => ({ create: { _index: create._index, _id: create._id, status, ...(error && { error }) } });
    if (!isError && doc.url?.path?.startsWith("/reject")) {
      figures.rejected400 += 1;
      items.push(item(400, { type: "mapper_parsing_exception", reason: "failed to parse field [url.path] of type [long] in document", caused_by: { type: "illegal_argument_exception", reason: `For input string: "${doc.url.path}"` } }));
      continue;
    }
    const roll = random();
    if (roll < 0.05) {
      figures.item429 += 1;
      items.push(item(429, { type: "es_rejected_execution_exception", reason: "rejected execution of primary operation" }));
    } else if (roll < 0.06) {
      figures.item503 += 1;
      items.push(item(503, { type: "unavailable_shards_exception", reason: "primary shard is not active" }));
    } else if (store.has(create._id)) {
      figures.conflicts += 1;
      items.push(item(409, { type: "version_conflict_engine_exception", reason: "document already exists" }));
    } else {
      figures.created += 1;
      store.set(create._id, { index: create._index, doc });
      items.push(item(201));
    }
  }
  return { took: 1, errors: items.some((i) => i.create.status !== 201), items };
}

function json(res, status, body) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

/** Where a record is stored: as its document, as the error document standing for it, or both. */
const storedAs = (line) => [recordId(line), `${recordId(line)}-rejected`].filter((id) => store.has(id));

// ---------------------------------------------------------------- the test

let mf;
let server;

describe("delivery under faults (workerd, a fake _bulk on 127.0.0.1)", { timeout: 120_000 }, () => {
  before(async () => {
    const random = prng(SEED);
    server = createServer(destinationServer(prng(SEED + 1)));
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    mf = new Miniflare({
      host: "127.0.0.1",
      // The Worker's log lines, counted rather than printed: thousands under these faults.
      handleStructuredLogs: ({ level }) => void (workerLogs[level] = (workerLogs[level] ?? 0) + 1),
      modules: workerModules(),
      modulesRoot: "/worker",
      compatibilityDate: "2025-01-01",
      bindings: {
        LOGPUSH_SECRET: SECRET,
        DESTINATION_URL: `http://127.0.0.1:${server.address().port}/_bulk`,
        BULK_INDEX: "logs-cloudflare.{dataset}-default",
        DESTINATION_TIMEOUT_MS: String(TIMEOUT_MS),
        DESTINATION_RETRIES: "2",
        DESTINATION_RETRY_MS: "5",
        CHUNK_BYTES: "1500", // larger batches go in several requests: some delivered, then a failure
      },
    });
    await mf.ready;
    batches = makeBatches(random);
  });

  after(async () => {
    await mf?.dispose();
    server?.closeAllConnections();
    server?.close();
  });

  let batches;

  test("1,000 batches: every record stored exactly once, no 2xx before a batch was stored", async () => {
    const started = performance.now();
    const worker = await mf.getWorker();
    const logpush = { attempts: 0, ok: 0, retried: 0, statuses: {}, maxAttempts: 0 };
    let nextBatch = 0;
    const pushAll = async () => {
      while (nextBatch < batches.length) {
        const lines = batches[nextBatch++];
        const body = gzipSync(lines.join("\n") + "\n");
        for (let attempt = 1; ; attempt++) {
          assert.ok(attempt <= MAX_ATTEMPTS, `a batch not delivered in ${MAX_ATTEMPTS} attempts`);
          logpush.attempts += 1;
          const res = await worker.fetch("http://logpush.example/", { method: "POST", headers: { "X-Logpush-Secret": SECRET }, body });
          const text = await res.text();
          logpush.statuses[res.status] = (logpush.statuses[res.status] ?? 0) + 1;
          if (res.ok) {
            const missing = lines.filter((line) => storedAs(line).length === 0);
            if (missing.length) violations.push(`a 2xx (${text.trim()}) with ${missing.length} of ${lines.length} records not stored`);
            const answer = JSON.parse(text);
            if (answer.received !== lines.length || answer.delivered !== lines.length) violations.push(`answered ${text.trim()} for ${lines.length} records`);
            logpush.ok += 1;
            logpush.maxAttempts = Math.max(logpush.maxAttempts, attempt);
            break;
          }
          // Only a 5xx makes Logpush retry; anything else would drop the batch.
          assert.equal(res.status, 502, text);
          logpush.retried += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, pushAll));
    const seconds = (performance.now() - started) / 1000;

    assert.deepEqual(violations, []);
    assert.equal(logpush.ok, BATCHES);
    // Exactly once: each distinct record under one `_id`, and nothing else stored.
    const records = new Set(batches.flat());
    for (const line of records) {
      const ids = storedAs(line);
      assert.equal(ids.length, 1, `${line} stored as ${ids.join(", ") || "nothing"}`);
      const { doc } = store.get(ids[0]);
      assert.equal(doc.message, line);
      const rejected = ids[0].endsWith("-rejected");
      assert.equal(rejected, line.includes('"/reject/'), `${line}: ${ids[0]}`);
      if (rejected) {
        assert.deepEqual(doc, {
          error: { message: `mapper_parsing_exception: failed to parse field [url.path] of type [long] in document (caused by illegal_argument_exception: For input string: "${JSON.parse(line).ClientRequestURI}")`, type: "destination_rejected" },
          event: { dataset: "http_requests", kind: "pipeline_error" },
          message: line,
          observer: { vendor: "Cloudflare" },
        });
      }
    }
    assert.equal(store.size, records.size);
    const indices = {};
    for (const { index } of store.values()) indices[index] = (indices[index] ?? 0) + 1;

    // Every fault happened, and every way through the Worker was taken.
    const lines = batches.flat().length;
    for (const name of ["whole429", "whole500", "lateStored", "lateLost", "item429", "item503", "rejected400", "conflicts"]) {
      assert.ok(figures[name] > 0, `no ${name}`);
    }
    assert.ok(logpush.retried > 0, "no batch answered 502");
    assert.ok(figures.items > lines, "no document sent twice");

    console.log(
      [
        `fault test (seed ${SEED}, ${seconds.toFixed(1)} s): ${BATCHES} batches of ${lines} lines (${records.size} distinct records, ${lines - records.size} repeated), ${CONCURRENCY} at a time`,
        `  Logpush: ${logpush.attempts} attempts, ${logpush.ok} answered 2xx, ${logpush.retried} answered 502 and were sent again (at most ${logpush.maxAttempts} attempts for a batch)`,
        `  _bulk: ${figures.bulkRequests} requests, ${figures.items} items: ${figures.created} created, ${figures.conflicts} already there (409), ${figures.rejected400} rejected for content (400), ${figures.item429} refused 429, ${figures.item503} refused 503`,
        `  whole requests: ${figures.whole429} answered 429, ${figures.whole500} answered 500, ${figures.lateStored + figures.lateLost} answered after the ${TIMEOUT_MS} ms timeout (${figures.lateStored} of them indexed)`,
        `  the Worker logged: ${Object.entries(workerLogs).map(([level, n]) => `${n} ${level}`).join(", ")}`,
        `  stored: ${store.size} documents, each record once (${[...store.keys()].filter((id) => id.endsWith("-rejected")).length} as destination_rejected error documents): ${Object.entries(indices).map(([index, n]) => `${n} in ${index}`).join(", ")}`,
      ].join("\n"),
    );
  });
});
