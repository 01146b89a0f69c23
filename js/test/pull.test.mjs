// The Worker's scheduled collector (js/worker/src/pull.mjs) in workerd via miniflare, against
// a fake Cloudflare API (audit logs v1 and v2, Logpull) and a fake Elasticsearch `_bulk`
// destination, both HTTP servers in this process on 127.0.0.1. Cron runs are dispatched with
// `scheduled()`, whose `scheduledTime` is the collector's "now", so days pass in milliseconds.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";

import { Miniflare } from "miniflare";

import { recordId, workerModules } from "./helpers.mjs";

const TOKEN = "api-token-good";
const INDEX = "logs-cloudflare.pull-default";
const T0 = Date.parse("2026-03-02T12:00:00Z");
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** PULL_DELAY_SECONDS's default: windows end five minutes before the run. */
const DELAY = 5 * MINUTE;
const LOGPULL_FIELDS = ["ClientIP", "ClientRequestHost", "ClientRequestMethod", "ClientRequestURI", "EdgeResponseStatus", "EdgeStartTimestamp", "RayID"];

// ---------------------------------------------------------------- the fake Cloudflare API

/**
 * Records by account or zone, each `{ time, record }` (audit: an object; Logpull: the field
 * values, written as NDJSON with nanosecond integers). Every request is noted; `faults` are
 * answers given instead of the real one (`times` of them) for requests that `match`.
 */
const api = { now: T0, audit: new Map(), auditV2: new Map(), logpull: new Map(), requests: [], faults: [] };

function apiServer(req, res) {
  const url = new URL(req.url, "http://api.invalid");
  const request = { at: performance.now(), path: url.pathname, params: Object.fromEntries(url.searchParams), authorization: req.headers.authorization };
  api.requests.push(request);
  const fault = api.faults.find((f) => f.times > 0 && f.match(request));
  if (fault) {
    fault.times -= 1;
    return json(res, fault.status, { success: false, errors: [{ code: 10429, message: fault.message }] }, fault.headers);
  }
  if (req.headers.authorization !== `Bearer ${TOKEN}`) {
    return json(res, 401, { success: false, errors: [{ code: 10000, message: "Authentication error" }], messages: [], result: null });
  }
  let match;
  if ((match = url.pathname.match(/^\/client\/v4\/accounts\/([\w-]+)\/audit_logs$/))) return auditV1(res, url.searchParams, api.audit.get(match[1]) ?? []);
  if ((match = url.pathname.match(/^\/client\/v4\/accounts\/([\w-]+)\/logs\/audit$/))) return auditV2(res, url.searchParams, api.auditV2.get(match[1]) ?? []);
  if ((match = url.pathname.match(/^\/client\/v4\/zones\/([\w-]+)\/logs\/received\/fields$/))) {
    return json(res, 200, Object.fromEntries(LOGPULL_FIELDS.map((f) => [f, `the ${f} field`])));
  }
  if ((match = url.pathname.match(/^\/client\/v4\/zones\/([\w-]+)\/logs\/received$/))) return logpull(res, url.searchParams, api.logpull.get(match[1]) ?? []);
  json(res, 404, { success: false, errors: [{ code: 7003, message: "No route for that URI" }] });
}

/**
 * The audit API's `since` and `before` taken as exclusive, the less forgiving reading: a
 * record exactly at a window boundary is found only thanks to the collector's overlap.
 */
function auditWindow(params, records) {
  assert.equal(params.get("direction"), "asc");
  const since = Date.parse(params.get("since"));
  const before = Date.parse(params.get("before"));
  assert.ok(since < before && before <= api.now, `audit window ${params.get("since")} .. ${params.get("before")}`);
  return records.filter((r) => r.time > since && r.time < before).sort((a, b) => a.time - b.time);
}

function auditV1(res, params, records) {
  const found = auditWindow(params, records);
  const perPage = Number(params.get("per_page"));
  const page = Number(params.get("page"));
  assert.ok(perPage >= 1 && perPage <= 1000 && page >= 1);
  const result = found.slice((page - 1) * perPage, page * perPage).map((r) => r.record);
  const totalPages = Math.ceil(found.length / perPage);
  json(res, 200, { success: true, errors: [], messages: [], result, result_info: { page, per_page: perPage, count: result.length, total_count: found.length, total_pages: totalPages } });
}

function auditV2(res, params, records) {
  const found = auditWindow(params, records);
  const limit = Number(params.get("limit"));
  const offset = params.has("cursor") ? Number(Buffer.from(params.get("cursor"), "base64url").toString()) : 0;
  const result = found.slice(offset, offset + limit).map((r) => r.record);
  const more = offset + limit < found.length;
  const resultInfo = { count: result.length, ...(more && { cursor: Buffer.from(String(offset + limit)).toString("base64url") }) };
  json(res, 200, { success: true, errors: [], result, result_info: resultInfo });
}

/** Logpull's rules: `start` inclusive, `end` exclusive, at most an hour, `end` a minute old, 7 days kept. */
async function logpull(res, params, records) {
  const start = Date.parse(params.get("start"));
  const end = Date.parse(params.get("end"));
  const problem =
    !(start < end) ? "start must be before end"
    : end - start > HOUR ? "time range exceeds 1h"
    : end > api.now - MINUTE ? "end must be at least 1 minute in the past"
    : start < api.now - 7 * DAY ? "too early: logs older than 168h0m0s are not available"
    : params.get("timestamps") !== "unixnano" ? "timestamps"
    : null;
  if (problem) return json(res, 400, { success: false, errors: [{ code: 1002, message: `bad query: ${problem}` }] });
  const fields = params.get("fields").split(",");
  // Out of order within the window, as Logpull does not sort; written line by line.
  const found = records.filter((r) => r.time >= start && r.time < end).sort((a, b) => (a.record.RayID < b.record.RayID ? -1 : 1));
  res.writeHead(200, { "Content-Type": "application/x-ndjson" });
  // Streamed in pieces of three lines, as a long response arrives.
  for (const [i, r] of found.entries()) {
    res.write(`${logpullLine(r.record, fields)}\n`);
    if (i % 3 === 2) await new Promise((resolve) => setTimeout(resolve, 2));
  }
  res.end();
}

const logpullLine = (record, fields) => `{${fields.map((f) => `${JSON.stringify(f)}:${f === "EdgeStartTimestamp" ? record[f] : JSON.stringify(record[f])}`).join(",")}}`;

function json(res, status, body, headers = {}) {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

let serial = 0;
function addAudit(account, time) {
  serial += 1;
  const record = {
    id: `00000000-0000-4000-8000-${String(serial).padStart(12, "0")}`,
    action: { type: "update", result: true },
    actor: { email: "admin@example.com", id: "a1b2c3", ip: "198.51.100.7", type: "user" },
    interface: "API",
    metadata: {},
    newValue: "",
    oldValue: "",
    owner: { id: account },
    resource: { id: `dns-${serial}`, type: "dns_record" },
    when: new Date(time).toISOString(),
  };
  push(api.audit, account, { time, record });
}

function addAuditV2(account, time) {
  serial += 1;
  const record = {
    id: `20000000-0000-4000-8000-${String(serial).padStart(12, "0")}`,
    account: { id: account, name: "Example" },
    action: { description: "Update DNS record", result: "success", time: new Date(time).toISOString(), type: "update" },
    actor: { id: "a1b2c3", context: "api_key", email: "admin@example.com", ip_address: "198.51.100.7", type: "user" },
    resource: { id: `dns-${serial}`, product: "dns", type: "dns_record" },
  };
  push(api.auditV2, account, { time, record });
}

function addRequest(zone, time) {
  serial += 1;
  const record = {
    ClientIP: `203.0.113.${serial % 250}`,
    ClientRequestHost: "www.example.com",
    ClientRequestMethod: "GET",
    ClientRequestURI: `/page/${serial}`,
    EdgeResponseStatus: 200,
    EdgeStartTimestamp: `${BigInt(time) * 1_000_000n + 456_789n}`, // nanoseconds: beyond 2^53
    RayID: (0x8e9b1c60ef9e0000n + BigInt(serial) * 7919n).toString(16).split("").reverse().join(""),
  };
  push(api.logpull, zone, { time, record });
}

function push(map, key, entry) {
  if (!map.has(key)) map.set(key, []);
  map.get(key).push(entry);
}

// ---------------------------------------------------------------- the fake destination

/**
 * `_bulk`: documents kept by `_id` (201 created, 409 already there); the requests numbered in
 * `fail` answer 503; a document whose `url.path` starts with `/reject` is rejected (400).
 */
const destination = { docs: new Map(), requests: 0, created: 0, conflicts: 0, fail: new Set() };

function destinationServer(req, res) {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    destination.requests += 1;
    if (destination.fail.has(destination.requests)) return json(res, 503, { error: "cluster_block_exception" });
    const lines = Buffer.concat(chunks).toString("utf8").split("\n");
    const items = [];
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const { create } = JSON.parse(lines[i]);
      assert.equal(create._index, INDEX);
      assert.match(create._id, /^[A-Za-z0-9_-]{43}(-rejected)?$/);
      const doc = JSON.parse(lines[i + 1]);
      if (doc.url?.path?.startsWith("/reject")) {
        items.push({ create: { _id: create._id, status: 400, error: { type: "document_parsing_exception", reason: "[1:30] failed to parse field [url.path]" } } });
      } else if (destination.docs.has(create._id)) {
        destination.conflicts += 1;
        items.push({ create: { _id: create._id, status: 409, error: { type: "version_conflict_engine_exception" } } });
      } else {
        destination.docs.set(create._id, doc);
        destination.created += 1;
        items.push({ create: { _id: create._id, status: 201, result: "created" } });
      }
    }
    json(res, 200, { took: 1, errors: items.some((item) => item.create.status !== 201), items });
  });
}

/** The documents in the destination whose original record is one of `records`' (by `_id`). */
const delivered = (entries, line) => entries.filter((entry) => destination.docs.has(recordId(line(entry))));
const auditLine = (entry) => JSON.stringify(entry.record);
const requestLine = (entry) => logpullLine(entry.record, LOGPULL_FIELDS);

// ---------------------------------------------------------------- the Worker

let mf;
let apiUrl;
let destinationUrl;
const servers = [];
const logs = [];

function worker(name, sources, vars = {}) {
  return {
    name,
    modules: workerModules(),
    modulesRoot: "/worker",
    compatibilityDate: "2025-01-01",
    durableObjects: { PULL_MARKS: { className: "PullMarks", useSQLite: true } },
    bindings: {
      DESTINATION_URL: destinationUrl,
      BULK_INDEX: INDEX,
      CLOUDFLARE_API_TOKEN: TOKEN,
      CLOUDFLARE_API_URL: apiUrl,
      PULL_SOURCES: JSON.stringify(sources),
      PULL_API_REQUESTS_PER_MINUTE: "60000",
      PULL_RETRY_MS: "10",
      PULL_LOOKBACK_HOURS: "1",
      ...vars,
    },
  };
}

/** One Cron Trigger run of `name` at `time`: its outcome, API requests, documents created, ms. */
async function run(name, time) {
  api.now = time;
  const [requests, created] = [api.requests.length, destination.created];
  const w = await mf.getWorker(name);
  const started = performance.now();
  const result = await w.scheduled({ cron: "*/5 * * * *", scheduledTime: new Date(time) });
  return {
    outcome: result.outcome,
    requests: api.requests.slice(requests),
    created: destination.created - created,
    ms: Math.round(performance.now() - started),
  };
}

/** The marks the Worker `name` keeps for these sources (its PullMarks Durable Object). */
async function marks(name, keys) {
  const namespace = await mf.getDurableObjectNamespace("PULL_MARKS", name);
  const stub = namespace.get(namespace.idFromName("marks"));
  return JSON.parse(JSON.stringify(await stub.read(keys)));
}

/** The log lines (console.*) of the Worker that match, once they have arrived (bounded wait). */
async function logged(pattern, count = 1) {
  for (let i = 0; i < 50; i++) {
    const found = logs.filter((l) => pattern.test(l.message));
    if (found.length >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  return logs.filter((l) => pattern.test(l.message));
}

const listen = (handler) =>
  new Promise((resolve) => {
    const server = createServer(handler);
    servers.push(server);
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${server.address().port}`));
  });

const iso = (ms) => new Date(ms).toISOString().replace(".000Z", "Z");

describe("the scheduled collector in workerd", { timeout: 180_000 }, () => {
  before(async () => {
    apiUrl = `${await listen(apiServer)}/client/v4`;
    destinationUrl = `${await listen(destinationServer)}/_bulk`;
    mf = new Miniflare({
      host: "127.0.0.1",
      handleStructuredLogs: (log) => void logs.push(log),
      workers: [
        worker("paging", [{ type: "audit_logs", account_id: "acc-page" }, { type: "audit_logs_v2", account_id: "acc-page" }, { type: "logpull", zone_id: "zone-page", fields: LOGPULL_FIELDS }], {
          PULL_LOOKBACK_HOURS: "3",
          PULL_PAGE_SIZE: "4",
          PULL_API_REQUESTS_PER_MINUTE: "1200",
        }),
        worker("throttled", [{ type: "audit_logs", account_id: "acc-429" }]),
        worker("flaky", [{ type: "logpull", zone_id: "zone-flaky", fields: LOGPULL_FIELDS }], { CHUNK_BYTES: "700", DESTINATION_RETRIES: "1", DESTINATION_RETRY_MS: "10" }),
        worker("rejecting", [{ type: "logpull", zone_id: "zone-reject", fields: LOGPULL_FIELDS }]),
        worker("catchup", [{ type: "audit_logs", account_id: "acc-catchup" }, { type: "logpull", zone_id: "zone-catchup" }], {
          PULL_PAGE_SIZE: "100",
          PULL_PAGES_PER_RUN: "3",
          PULL_WINDOWS_PER_RUN: "6",
          PULL_API_REQUESTS_PER_MINUTE: "200", // the default, under the API's 1,200 per 5 minutes
        }),
        worker("badtoken", [{ type: "audit_logs", account_id: "acc-revoked", token: "OLD_API_TOKEN" }, { type: "logpull", zone_id: "zone-ok", fields: LOGPULL_FIELDS }], {
          OLD_API_TOKEN: "api-token-revoked",
        }),
        worker("retention", [{ type: "logpull", zone_id: "zone-old", fields: LOGPULL_FIELDS }], { PULL_WINDOWS_PER_RUN: "1" }),
        worker("unavailable", [{ type: "audit_logs_v2", account_id: "acc-down" }], { PULL_RETRIES: "2" }),
        worker("misconfigured", [{ type: "audit_log", account_id: "acc-typo" }]),
      ],
    });
    await mf.ready;
  });

  after(async () => {
    await mf?.dispose();
    for (const server of servers) server.close();
  });

  test("pages, cursors and windows: every record once, each source's mark moving on", async () => {
    // Three hours back (PULL_LOOKBACK_HOURS) to five minutes before the run: 10 v1 records
    // (pages of 4), 7 v2 records (cursor), Logpull records in the first two of three windows.
    const start = T0 - 3 * HOUR;
    for (let i = 0; i < 10; i++) addAudit("acc-page", start + 1000 + i * 17 * MINUTE);
    for (let i = 0; i < 7; i++) addAuditV2("acc-page", start + 2000 + i * 23 * MINUTE);
    for (let i = 0; i < 12; i++) addRequest("zone-page", start + 3000 + i * 9 * MINUTE); // up to T0 - 81 min
    // At the first run's end exactly, and after it: for the second run.
    addAudit("acc-page", T0 - DELAY);
    addAuditV2("acc-page", T0 - DELAY + 1000);
    addRequest("zone-page", T0 - DELAY);
    addRequest("zone-page", T0 - 2 * MINUTE);

    const first = await run("paging", T0);
    assert.equal(first.outcome, "ok");
    const paths = (r, kind) => r.requests.filter((q) => q.path.endsWith(kind));
    const v1 = paths(first, "/audit_logs");
    assert.deepEqual(v1.map((q) => q.params.page), ["1", "2", "3"]);
    for (const q of v1) assert.deepEqual(q.params, { since: iso(start - 1000), before: iso(T0 - DELAY), direction: "asc", per_page: "4", page: q.params.page });
    const v2 = paths(first, "/logs/audit");
    assert.equal(v2.length, 2);
    assert.equal(v2[0].params.cursor, undefined);
    assert.ok(v2[1].params.cursor);
    const windows = paths(first, "/logs/received");
    assert.deepEqual(
      windows.map((q) => [q.params.start, q.params.end]),
      [[iso(start), iso(start + HOUR)], [iso(start + HOUR), iso(start + 2 * HOUR)], [iso(start + 2 * HOUR), iso(T0 - DELAY)]],
      "contiguous windows of at most an hour, the last one empty",
    );
    for (const q of windows) {
      assert.equal(q.params.fields, LOGPULL_FIELDS.join(","));
      assert.equal(q.params.timestamps, "unixnano");
      assert.equal(q.authorization, `Bearer ${TOKEN}`);
    }
    // Requests of every source share one pace: 1,200 a minute is one per 50 ms (measured on
    // arrival, which a new connection may delay by some milliseconds).
    const arrivals = first.requests.map((q) => q.at);
    assert.ok(arrivals.at(-1) - arrivals[0] >= (arrivals.length - 1) * 50 - 25, `${arrivals.length} requests in ${arrivals.at(-1) - arrivals[0]} ms`);
    arrivals.slice(1).forEach((at, i) => assert.ok(at - arrivals[i] >= 20, `${at - arrivals[i]} ms apart`));

    const audit = api.audit.get("acc-page");
    const auditV2 = api.auditV2.get("acc-page");
    const requests = api.logpull.get("zone-page");
    assert.equal(delivered(audit, auditLine).length, 10);
    assert.equal(delivered(auditV2, auditLine).length, 7);
    assert.equal(delivered(requests, requestLine).length, 12);
    assert.equal(first.created, 29);
    assert.equal(destination.conflicts, 0);
    assert.deepEqual(await marks("paging", ["audit_logs:acc-page", "audit_logs_v2:acc-page", "logpull:zone-page"]), {
      "audit_logs:acc-page": { since: iso(T0 - DELAY) },
      "audit_logs_v2:acc-page": { since: iso(T0 - DELAY) },
      "logpull:zone-page": { since: iso(T0 - DELAY) },
    });
    // Logpull's records came out of time order; each window was delivered whole all the same.
    const served = [...destination.docs.values()].filter((d) => d.event.dataset === "http_requests").map((d) => d.url.path);
    const chronological = requests.slice(0, 12).map((r) => r.record.ClientRequestURI);
    assert.notDeepEqual(served, chronological);
    assert.deepEqual([...served].sort(), [...chronological].sort());

    // The documents: the dataset forced per source, the record in `message`, exact times.
    const doc = (entry, line) => destination.docs.get(recordId(line(entry)));
    const http = doc(requests[0], requestLine);
    assert.equal(http.event.dataset, "http_requests");
    assert.equal(http.message, requestLine(requests[0]));
    assert.equal(http["@timestamp"], new Date(requests[0].time).toISOString().replace(".000Z", ".000456Z"), "nanoseconds read exactly");
    assert.equal(http.url.path, requests[0].record.ClientRequestURI);
    const v1Doc = doc(audit[0], auditLine);
    assert.equal(v1Doc.event.dataset, "audit_logs");
    assert.equal(v1Doc.event.id, audit[0].record.id);
    assert.equal(v1Doc["@timestamp"], audit[0].record.when.replace(".000Z", "Z"));
    // The v2 API's records take the audit-API mapping of cloudflare-ecs (no v2 mapping yet).
    const v2Doc = doc(auditV2[0], auditLine);
    assert.equal(v2Doc.event.dataset, "audit_logs");
    assert.equal(v2Doc.event.id, auditV2[0].record.id);
    assert.equal(v2Doc.user.email, "admin@example.com");

    // Ten minutes later: only what is new, from where each mark stopped (the record at the
    // boundary included), and the empty window behind the marks for good.
    const second = await run("paging", T0 + 10 * MINUTE);
    assert.equal(second.outcome, "ok");
    assert.deepEqual(paths(second, "/audit_logs").map((q) => [q.params.since, q.params.before, q.params.page]), [[iso(T0 - DELAY - 1000), iso(T0 + 5 * MINUTE), "1"]]);
    assert.deepEqual(paths(second, "/logs/received").map((q) => [q.params.start, q.params.end]), [[iso(T0 - DELAY), iso(T0 + 5 * MINUTE)]]);
    assert.equal(second.created, 4);
    assert.equal(delivered(audit, auditLine).length, 11);
    assert.equal(delivered(auditV2, auditLine).length, 8);
    assert.equal(delivered(requests, requestLine).length, 14);
    assert.equal(destination.conflicts, 0);
  });

  test("429 with Retry-After, then 503: retried, then delivered", async () => {
    for (let i = 0; i < 3; i++) addAudit("acc-429", T0 - 30 * MINUTE + i * MINUTE);
    const isPage = (q) => q.path.endsWith("/accounts/acc-429/audit_logs");
    api.faults.push({ match: isPage, times: 1, status: 429, headers: { "Retry-After": "1" }, message: "Rate limited" });
    api.faults.push({ match: isPage, times: 1, status: 503, message: "Service unavailable" });
    const result = await run("throttled", T0);
    assert.equal(result.outcome, "ok");
    assert.equal(result.requests.length, 3);
    assert.deepEqual(result.requests[1].params, result.requests[0].params);
    assert.ok(result.requests[1].at - result.requests[0].at >= 950, "waited for Retry-After: 1");
    assert.equal(delivered(api.audit.get("acc-429"), auditLine).length, 3);
    assert.equal((await logged(/acc-429\/audit_logs: 429 Rate limited; retrying in 1000 ms/)).length, 1);
  });

  test("the destination failing mid-window: the mark stays, the next run re-sends, nothing twice", async () => {
    const start = T0 - HOUR; // PULL_LOOKBACK_HOURS: 1
    for (let i = 0; i < 10; i++) addRequest("zone-flaky", start + i * 5 * MINUTE);
    const requests = api.logpull.get("zone-flaky");
    // The window's second `_bulk` request (CHUNK_BYTES: 700) fails, and so does its retry.
    destination.fail = new Set([destination.requests + 2, destination.requests + 3]);
    const first = await run("flaky", T0);
    assert.equal(first.outcome, "exception");
    const sentBefore = delivered(requests, requestLine).length;
    assert.ok(sentBefore > 0 && sentBefore < 10, `${sentBefore} of 10 delivered before the failure`);
    assert.equal((await logged(/pull logpull:zone-flaky: stopped, mark kept at .*delivery failed: .* answered 503/)).length, 1);
    assert.deepEqual(await marks("flaky", ["logpull:zone-flaky"]), { "logpull:zone-flaky": { since: iso(start) } }, "the mark did not move");

    const conflicts = destination.conflicts;
    const second = await run("flaky", T0 + MINUTE);
    assert.equal(second.outcome, "ok");
    const windows = [...first.requests, ...second.requests].map((q) => [q.params.start, q.params.end]);
    assert.deepEqual(windows, [[iso(start), iso(T0 - DELAY)], [iso(start), iso(T0 + MINUTE - DELAY)]], "the failed window read again");
    assert.equal(delivered(requests, requestLine).length, 10);
    assert.equal(second.created, 10 - sentBefore);
    assert.equal(destination.conflicts - conflicts, sentBefore, "re-sent documents answered 409, not created twice");
    assert.deepEqual(await marks("flaky", ["logpull:zone-flaky"]), { "logpull:zone-flaky": { since: iso(T0 + MINUTE - DELAY) } });
  });

  test("a record the destination rejects for its content: delivered as an error document, the mark moves on", async () => {
    addRequest("zone-reject", T0 - 30 * MINUTE);
    addRequest("zone-reject", T0 - 20 * MINUTE);
    const requests = api.logpull.get("zone-reject");
    requests[1].record.ClientRequestURI = "/reject/me";
    const result = await run("rejecting", T0);
    assert.equal(result.outcome, "ok");
    assert.equal(delivered(requests, requestLine).length, 1, "the accepted one as its document");
    const line = requestLine(requests[1]);
    assert.deepEqual(destination.docs.get(`${recordId(line)}-rejected`), {
      error: { message: "document_parsing_exception: [1:30] failed to parse field [url.path]", type: "destination_rejected" },
      event: { dataset: "http_requests", kind: "pipeline_error" },
      message: line,
      observer: { vendor: "Cloudflare" },
    });
    assert.deepEqual(await marks("rejecting", ["logpull:zone-reject"]), { "logpull:zone-reject": { since: iso(T0 - DELAY) } });
    assert.equal((await logged(/1 documents rejected by the destination for their content were delivered as destination_rejected error documents to logs-cloudflare.pull-default/)).length, 1);
  });

  test("catch-up after a day of downtime, over several bounded runs", async () => {
    const first = await run("catchup", T0);
    assert.equal(first.outcome, "ok");
    // One field list for the zone, then Logpull; the audit log: one empty page.
    assert.deepEqual(first.requests.map((q) => q.path.split("/").slice(-2).join("/")), ["acc-catchup/audit_logs", "received/fields", "logs/received"]);

    // A day passes without runs: 900 audit records, 50 requests an hour.
    for (let i = 0; i < 900; i++) addAudit("acc-catchup", T0 - DELAY + 1000 + i * 96_000);
    for (let i = 0; i < 24 * 50; i++) addRequest("zone-catchup", T0 - DELAY + 500 + i * 72_000);
    const total = 900 + 24 * 50;
    const runs = [];
    let now = T0 + DAY;
    while (runs.length < 10) {
      const result = await run("catchup", now);
      assert.equal(result.outcome, "ok");
      runs.push(result);
      if (result.created === 0) break;
      now += 5 * MINUTE;
    }
    const audit = api.audit.get("acc-catchup");
    const requests = api.logpull.get("zone-catchup");
    assert.equal(delivered(audit, auditLine).length, 900);
    assert.equal(delivered(requests, requestLine).length, 1200);
    assert.equal(runs.reduce((n, r) => n + r.created, 0), total);
    // Each run did at most 3 audit pages and 6 Logpull windows.
    for (const r of runs) {
      assert.ok(r.requests.filter((q) => q.path.endsWith("/audit_logs")).length <= 3);
      assert.ok(r.requests.filter((q) => q.path.endsWith("/logs/received")).length <= 6);
    }
    assert.ok(runs.length >= 5, `${runs.length} runs`);
    for (const [i, r] of runs.entries()) {
      console.log(`catch-up run ${i + 1} (a day behind, 5 minutes apart): ${r.created} records delivered, ${r.requests.length} API requests, ${r.ms} ms`);
    }
    const [one] = runs;
    // The audit window of the first catch-up run: 9 pages, 3 a run, the mark between pages.
    const auditPages = (r) => r.requests.filter((q) => q.path.endsWith("/audit_logs")).map((q) => [q.params.since, q.params.before, q.params.page]);
    const window = [iso(T0 - DELAY - 1000), iso(T0 + DAY - DELAY)];
    assert.deepEqual(auditPages(runs[0]), [1, 2, 3].map((page) => [...window, `${page}`]));
    assert.deepEqual(auditPages(runs[1]), [4, 5, 6].map((page) => [...window, `${page}`]));
    assert.deepEqual(auditPages(runs[2]), [7, 8, 9].map((page) => [...window, `${page}`]));
    console.log(`catch-up figures: one run took ${one.ms} ms for ${one.created} records and ${one.requests.length} API requests (paced at 200 a minute); ${runs.length - 1} runs caught up a day (${total} records)`);
  });

  test("a revoked token (401): logged once per run, that source skipped, the others go on", async () => {
    addAudit("acc-revoked", T0 - 20 * MINUTE);
    addRequest("zone-ok", T0 - 20 * MINUTE);
    for (const [i, time] of [T0, T0 + 5 * MINUTE].entries()) {
      const result = await run("badtoken", time);
      assert.equal(result.outcome, "exception", "the run reports the skipped source");
      const refused = result.requests.filter((q) => q.path.includes("acc-revoked"));
      assert.equal(refused.length, 1, "a 401 is not retried");
      assert.equal(refused[0].authorization, "Bearer api-token-revoked");
      const lines = await logged(/pull audit_logs:acc-revoked: skipped this run/, i + 1);
      assert.equal(lines.length, i + 1, "once per run");
      assert.match(lines[i].message, /401 Authentication error.*Account Settings Read on acc-revoked/);
    }
    assert.equal(delivered(api.audit.get("acc-revoked"), auditLine).length, 0);
    assert.equal(delivered(api.logpull.get("zone-ok"), requestLine).length, 1);
  });

  test("past Logpull's 7-day retention: the mark jumps to the oldest time kept, the gap logged", async () => {
    assert.equal((await run("retention", T0)).outcome, "ok");
    const now = T0 + 10 * DAY;
    const oldest = now - 7 * DAY + 5 * MINUTE;
    addRequest("zone-old", T0 + 2 * DAY); // lost: no longer retrievable
    addRequest("zone-old", oldest + MINUTE);
    const result = await run("retention", now);
    assert.equal(result.outcome, "ok");
    assert.deepEqual(result.requests.map((q) => [q.params.start, q.params.end]), [[iso(oldest), iso(oldest + HOUR)]]);
    assert.deepEqual(delivered(api.logpull.get("zone-old"), requestLine).length, 1);
    const [warning] = await logged(/pull logpull:zone-old: records from .* are past the API's retention/);
    assert.ok(warning, "the gap is logged");
    assert.match(warning.message, new RegExp(`records from ${iso(T0 - DELAY)} to ${iso(oldest)} .* continuing from ${iso(oldest)}`));
  });

  test("5xx until the retries run out: the source stops, its mark kept, the run fails", async () => {
    addAuditV2("acc-down", T0 - 10 * MINUTE);
    api.faults.push({ match: (q) => q.path.includes("/acc-down/"), times: 3, status: 502, message: "Bad gateway" });
    const result = await run("unavailable", T0);
    assert.equal(result.outcome, "exception");
    assert.equal(result.requests.length, 3, "the first try and PULL_RETRIES: 2");
    assert.equal(result.created, 0);
    const [line] = await logged(/pull audit_logs_v2:acc-down: stopped/);
    assert.match(line.message, new RegExp(`mark kept at ${iso(T0 - HOUR)}: GET .*/logs/audit failed 3 times, last: 502 Bad gateway`));
    assert.deepEqual(await marks("unavailable", ["audit_logs_v2:acc-down"]), { "audit_logs_v2:acc-down": { since: iso(T0 - HOUR) } });

    const next = await run("unavailable", T0 + 5 * MINUTE);
    assert.equal(next.outcome, "ok");
    assert.equal(delivered(api.auditV2.get("acc-down"), auditLine).length, 1);
  });

  test("a misconfigured collector pulls nothing and says why", async () => {
    const result = await run("misconfigured", T0);
    assert.equal(result.outcome, "exception");
    assert.equal(result.requests.length, 0);
    const [line] = await logged(/pull: misconfigured/);
    assert.match(line.message, /nothing pulled: a source's type must be one of audit_logs, audit_logs_v2, logpull, not "audit_log"/);
  });
});
