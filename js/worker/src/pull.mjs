// The scheduled collector: pulls what Logpush does not push — account audit logs (API v1 and
// v2) and Logpull (zone HTTP requests) — and sends the records down the same path as pushes
// (deliver.mjs). Run by a Cron Trigger; see ../../README.md ("Pull audit logs and Logpull").
//
// No gaps, no duplicates: each source has a high-water mark in the PullMarks Durable Object,
// moved only once the destination took every document of a page (audit logs) or a window
// (Logpull). A failure leaves the mark where it was, and the next run reads the same records
// again; their `_id`s (deliver.mjs) make the second delivery create nothing new. A run does
// bounded work (PULL_PAGES_PER_RUN, PULL_WINDOWS_PER_RUN per source) and later runs catch up.
//
// Configuration, beside the destination's (deliver.mjs):
//   PULL_SOURCES                  required: JSON list of sources, each
//                                   {"type": "audit_logs" | "audit_logs_v2", "account_id": "…"} or
//                                   {"type": "logpull", "zone_id": "…", "fields": [optional list]},
//                                 with an optional "token": the name of the secret holding its
//                                 API token (default CLOUDFLARE_API_TOKEN)
//   CLOUDFLARE_API_TOKEN          secret: the API token
//   PULL_MARKS                    Durable Object binding (class PullMarks): the marks
//   CLOUDFLARE_API_URL            default https://api.cloudflare.com/client/v4
//   PULL_PAGES_PER_RUN            audit-log pages per source and run (default 10)
//   PULL_WINDOWS_PER_RUN          Logpull windows per source and run (default 6)
//   PULL_PAGE_SIZE                audit records per page, up to 1000 (default 1000)
//   PULL_WINDOW_MINUTES           Logpull window, up to 60 (default 60)
//   PULL_DELAY_SECONDS            windows end this long before the run, at least 60 (default 300)
//   PULL_LOOKBACK_HOURS           where a new source starts (default 24)
//   PULL_API_REQUESTS_PER_MINUTE  pace of API requests across all sources (default 200)
//   PULL_RETRIES, PULL_RETRY_MS   retries of a 429/5xx and the first backoff (default 4, 2000)

import { Normalizer } from "cloudflare-ecs";

import { deliverBatch, destinationConfig, lineChunks } from "./deliver.mjs";

const DEFAULT_API_URL = "https://api.cloudflare.com/client/v4";
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A `Retry-After` longer than this ends the source's run instead of holding the Worker. */
const MAX_WAIT = MINUTE;
/** How far inside the retention period a jump past it lands, so the request is not too early. */
const RETENTION_MARGIN = 5 * MINUTE;
/**
 * Audit windows are asked for from a second before their start: a record at the very boundary
 * is in both windows whether the API's `since` and `before` include it or not.
 */
const AUDIT_OVERLAP = SECOND;

/** The kinds of sources: what they are keyed by, what they read and how. */
const KINDS = {
  audit_logs: {
    scope: "account_id",
    dataset: "audit_logs",
    permission: "Account Settings Read",
    pull: pullPages,
    page: auditV1Page,
  },
  // The v2 API returns nested camelCase records (`action.time`, `actor.ip_address`), not
  // Logpush's `audit_logs_v2` fields; cloudflare-ecs maps that shape as `audit_logs`.
  audit_logs_v2: {
    scope: "account_id",
    dataset: "audit_logs",
    retention: 30 * DAY,
    permission: "Account Settings Read",
    pull: pullPages,
    page: auditV2Page,
  },
  logpull: {
    scope: "zone_id",
    dataset: "http_requests",
    retention: 7 * DAY,
    permission: "Zone Logs Read",
    pull: pullWindows,
  },
};

/** The API refused a request for good (401, 403, 400, 404, ...): retrying will not help. */
class Refused extends Error {}

/**
 * One run: every configured source in turn, each up to its bound. `scheduledTime` (the Cron
 * Trigger's) is "now" for the windows. A source that fails is logged and skipped, the others
 * go on; the run then throws, so the Cron Trigger's history shows it.
 */
export async function pull(env, scheduledTime) {
  let config;
  try {
    config = pullConfig(env);
  } catch (e) {
    console.error(`pull: misconfigured, nothing pulled: ${e.message}`);
    throw e;
  }
  const marks = env.PULL_MARKS.get(env.PULL_MARKS.idFromName("marks"));
  const stored = await marks.read(config.sources.map((source) => source.key));
  const api = new Api(config);
  const run = { config, api, now: scheduledTime, end: floorSecond(scheduledTime - config.delay) };
  const failed = [];
  for (const source of config.sources) {
    const normalizer = new Normalizer({ ...config.destination.options, dataset: source.kind.dataset });
    const state = { normalizer, dataset: source.kind.dataset, mark: stored[source.key], records: 0 };
    const calls = api.calls;
    try {
      await source.kind.pull(run, source, state, (next) => store(marks, source, state, next));
    } catch (e) {
      failed.push(source.key);
      if (e instanceof Refused) {
        console.error(`pull ${source.key}: skipped this run, the API refused: ${e.message} (the token needs ${source.kind.permission} on ${source.id})`);
      } else {
        console.error(`pull ${source.key}: stopped, mark kept at ${state.mark?.since}: ${e.message}`);
      }
    } finally {
      normalizer.free();
    }
    console.log(`pull ${source.key}: ${state.records} records delivered, ${api.calls - calls} API requests, mark ${JSON.stringify(state.mark)}`);
  }
  if (failed.length) throw new Error(`pull: ${failed.length} of ${config.sources.length} sources did not complete: ${failed.join(", ")}`);
}

/** Moves the source's mark from the one read to `next`, unless another run moved it first. */
async function store(marks, source, state, next) {
  if (!(await marks.advance(source.key, state.mark, next))) {
    throw new Error("its mark was moved by another run");
  }
  state.mark = next;
}

/**
 * Where the source starts: its mark; none yet, PULL_LOOKBACK_HOURS back; past the API's
 * retention, the oldest time still retrievable, the records in between logged as lost.
 */
async function startMark(run, source, state, store) {
  const oldest = source.kind.retention ? run.now - source.kind.retention + RETENTION_MARGIN : -Infinity;
  if (!state.mark) {
    await store({ since: iso(Math.max(run.now - run.config.lookback, oldest)) });
  } else if (Date.parse(state.mark.since) < oldest) {
    console.warn(`pull ${source.key}: records from ${state.mark.since} to ${iso(oldest)} are past the API's retention and cannot be pulled; continuing from ${iso(oldest)}`);
    await store({ since: iso(oldest) });
  }
}

/**
 * Audit logs: a window from the mark to the run's end, read page by page in ascending time;
 * the mark holds the window and the next page (or cursor), so the next run goes on where this
 * one stopped, and moves past the window once its last page is delivered.
 */
async function pullPages(run, source, state, store) {
  await startMark(run, source, state, store);
  for (let pages = 0; pages < run.config.pagesPerRun; pages++) {
    let window = state.mark;
    if (!window.before) {
      if (run.end <= Date.parse(window.since)) break;
      window = { since: window.since, before: iso(run.end) };
    }
    const { records, next } = await source.kind.page(run, source, window);
    const ndjson = new TextEncoder().encode(records.map((record) => `${JSON.stringify(record)}\n`).join(""));
    await deliver(run, state, ndjson);
    await store(next ? { ...window, ...next } : { since: window.before });
  }
}

/** API v1: `page` and `per_page`; the last page is short (or `result_info.total_pages`). */
async function auditV1Page(run, source, window) {
  const size = run.config.pageSize;
  const page = window.page ?? 1;
  const since = iso(Date.parse(window.since) - AUDIT_OVERLAP);
  const body = await run.api.json(source, `/accounts/${source.id}/audit_logs`, { since, before: window.before, direction: "asc", per_page: size, page });
  const records = body.result ?? [];
  const info = body.result_info ?? {};
  const last = info.total_pages ? page >= info.total_pages : records.length < size;
  return { records, next: last ? null : { page: page + 1 } };
}

/** API v2: `limit` and `cursor`; the last page has no `result_info.cursor`. */
async function auditV2Page(run, source, window) {
  const since = iso(Date.parse(window.since) - AUDIT_OVERLAP);
  const params = { since, before: window.before, direction: "asc", limit: run.config.pageSize };
  if (window.cursor) params.cursor = window.cursor;
  const body = await run.api.json(source, `/accounts/${source.id}/logs/audit`, params);
  const records = body.result ?? [];
  const cursor = body.result_info?.cursor;
  return { records, next: cursor && records.length ? { cursor } : null };
}

/**
 * Logpull: windows of PULL_WINDOW_MINUTES (at most an hour) ending PULL_DELAY_SECONDS (at
 * least a minute) before now; each response is streamed and delivered in chunks of whole
 * lines (CHUNK_BYTES), never held whole, and the mark moves past the window at its end.
 */
async function pullWindows(run, source, state, store) {
  await startMark(run, source, state, store);
  let fields = source.fields;
  for (let windows = 0; windows < run.config.windowsPerRun; windows++) {
    const start = Date.parse(state.mark.since);
    const end = Math.min(start + run.config.window, run.end);
    if (end <= start) break;
    // Without a configured list: every field the token may read.
    fields ??= Object.keys(await run.api.json(source, `/zones/${source.id}/logs/received/fields`));
    const response = await run.api.get(source, `/zones/${source.id}/logs/received`, {
      start: iso(start),
      end: iso(end),
      fields: fields.join(","),
      timestamps: "unixnano",
    });
    for await (const chunk of lineChunks(response.body ?? new Blob([]).stream(), run.config.destination.chunkBytes)) {
      await deliver(run, state, chunk);
    }
    await store({ since: iso(end) });
  }
}

async function deliver(run, state, ndjson) {
  const result = await deliverBatch(state.normalizer, ndjson, run.config.destination, state.dataset);
  if (result.failure) throw new Error(`delivery failed: ${result.failure}`);
  state.records += result.delivered;
}

/**
 * The Cloudflare API, for every source of a run: requests spaced to stay under the rate
 * limit; 429, 5xx and network errors retried with exponential backoff or after `Retry-After`.
 */
class Api {
  constructor(config) {
    this.base = config.apiUrl;
    this.interval = MINUTE / config.requestsPerMinute;
    this.retries = config.retries;
    this.retryMs = config.retryMs;
    this.nextSlot = 0;
    this.calls = 0;
  }

  /** GET with the source's token; the response once it is 2xx. Throws Refused for a 4xx other than 429. */
  async get(source, path, params = {}) {
    const url = new URL(this.base + path);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, String(value));
    const what = `GET ${url.pathname}`;
    for (let attempt = 0; ; attempt++) {
      await this.slot();
      this.calls += 1;
      let response;
      let problem;
      try {
        response = await fetch(url, { headers: { Authorization: `Bearer ${source.token}` } });
      } catch (e) {
        problem = `unreachable: ${e.message}`;
      }
      if (response?.ok) return response;
      let wait = this.retryMs * 2 ** attempt;
      if (response) {
        problem = `${response.status} ${await errorText(response)}`;
        if (response.status !== 429 && response.status < 500) throw new Refused(`${what} answered ${problem}`);
        wait = retryAfter(response) ?? wait;
      }
      if (attempt >= this.retries) throw new Error(`${what} failed ${attempt + 1} times, last: ${problem}`);
      if (wait > MAX_WAIT) throw new Error(`${what}: ${problem}; a wait of ${wait} ms is left to a later run`);
      console.warn(`${what}: ${problem}; retrying in ${wait} ms`);
      await sleep(wait);
    }
  }

  async json(source, path, params) {
    const body = await (await this.get(source, path, params)).json();
    if (body.success === false) throw new Refused(`GET ${path} answered success: false: ${JSON.stringify(body.errors)}`);
    return body;
  }

  /** Waits for the next request slot: one per `interval` across all sources. */
  async slot() {
    const now = Date.now();
    const at = Math.max(now, this.nextSlot);
    this.nextSlot = at + this.interval;
    if (at > now) await sleep(at - now);
  }
}

/** The API's error messages (`errors[].message`), else the start of the body. */
async function errorText(response) {
  const text = await response.text();
  try {
    const messages = JSON.parse(text).errors?.map((e) => e.message).filter(Boolean);
    if (messages?.length) return messages.join("; ");
  } catch {
    // not the API's JSON envelope
  }
  return text.slice(0, 200);
}

/** `Retry-After` in milliseconds: delta seconds or an HTTP date; null without one. */
function retryAfter(response) {
  const value = response.headers.get("Retry-After");
  if (value === null) return null;
  const ms = /^\d+$/.test(value.trim()) ? Number(value) * SECOND : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.max(ms, 0) : null;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const floorSecond = (ms) => Math.floor(ms / SECOND) * SECOND;
const iso = (ms) => new Date(floorSecond(ms)).toISOString().replace(".000Z", "Z");

/** The collector's checked configuration (PULL_*, CLOUDFLARE_API_*, and the destination's). */
function pullConfig(env) {
  if (!env.PULL_MARKS) throw new Error("the PULL_MARKS Durable Object binding is missing");
  const list = typeof env.PULL_SOURCES === "string" ? JSON.parse(env.PULL_SOURCES) : env.PULL_SOURCES;
  if (!Array.isArray(list) || list.length === 0) throw new Error("PULL_SOURCES must be a non-empty JSON array of sources");
  const sources = list.map((entry) => {
    const kind = KINDS[entry?.type];
    if (!kind) throw new Error(`a source's type must be one of ${Object.keys(KINDS).join(", ")}, not ${JSON.stringify(entry?.type)}`);
    const id = entry[kind.scope];
    if (typeof id !== "string" || !/^[0-9A-Za-z_-]+$/.test(id)) throw new Error(`the ${entry.type} source needs its ${kind.scope}`);
    const fields = entry.fields;
    if (fields !== undefined && (entry.type !== "logpull" || !Array.isArray(fields) || !fields.length || !fields.every((f) => typeof f === "string"))) {
      throw new Error(`"fields" is a non-empty list of field names, for logpull sources only`);
    }
    const key = `${entry.type}:${id}`;
    // Account-owned tokens hold one account each: a source may name its own secret.
    const tokenName = entry.token ?? "CLOUDFLARE_API_TOKEN";
    const token = typeof tokenName === "string" && env[tokenName];
    if (!token) throw new Error(`${tokenName}, the API token of ${key}, is not set`);
    return { kind, id, fields, key, token };
  });
  const keys = sources.map((source) => source.key);
  const repeated = keys.find((key, i) => keys.indexOf(key) !== i);
  if (repeated) throw new Error(`${repeated} is listed twice in PULL_SOURCES`);
  const number = (name, fallback, min, max) => {
    const value = env[name] === undefined ? fallback : Number(env[name]);
    if (!(value >= min && value <= max)) throw new Error(`${name} must be a number from ${min} to ${max}`);
    return value;
  };
  return {
    sources,
    apiUrl: (env.CLOUDFLARE_API_URL || DEFAULT_API_URL).replace(/\/+$/, ""),
    destination: destinationConfig(env),
    pagesPerRun: number("PULL_PAGES_PER_RUN", 10, 1, 1000),
    windowsPerRun: number("PULL_WINDOWS_PER_RUN", 6, 1, 1000),
    pageSize: number("PULL_PAGE_SIZE", 1000, 1, 1000),
    window: number("PULL_WINDOW_MINUTES", 60, 1, 60) * MINUTE,
    delay: number("PULL_DELAY_SECONDS", 300, 60, 86400) * SECOND,
    lookback: number("PULL_LOOKBACK_HOURS", 24, 0, 24 * 366) * HOUR,
    requestsPerMinute: number("PULL_API_REQUESTS_PER_MINUTE", 200, 1, 100_000),
    retries: number("PULL_RETRIES", 4, 0, 10),
    retryMs: number("PULL_RETRY_MS", 2000, 0, MAX_WAIT),
  };
}
