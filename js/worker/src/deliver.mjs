// The output path shared by Logpush pushes (index.mjs) and scheduled pulls (pull.mjs):
// NDJSON records → cloudflare-ecs `transformBatch` → Elasticsearch/OpenSearch `_bulk` or a
// plain NDJSON endpoint, with the same configuration and the same delivery rules.
//
// Every document sent to `_bulk` is created (`create`) with an `_id` derived from its record:
// the SHA-256 of the record's line (surrounding whitespace and the line end excluded), in
// base64url. A batch sent twice — Logpush retrying a batch that was half delivered, a pull
// window read again — creates nothing twice: Elasticsearch answers `409` for the documents it
// already has, and a `409` counts as delivered.
//
// `_bulk` answers are read item by item. An item rejected for its content (`400`: a mapping
// or parsing error) is sent again once as an error document that keeps the record's text
// (`error.type` `destination_rejected`, Elasticsearch's reason in `error.message`, `_id` the
// record's with `-rejected`), so one bad document does not hold the batch back. Items
// refused for load (`429`, `5xx`), and whole requests that fail (unreachable, no answer
// within DESTINATION_TIMEOUT_MS, `429`, `5xx`), are sent again after a backoff, up to
// DESTINATION_RETRIES times; then delivery fails, and the caller does not acknowledge.
//
// Routing: BULK_INDEX may hold `{dataset}`, replaced by each document's `event.dataset`
// (data streams such as `logs-cloudflare.{dataset}-default`). Error documents (`event.kind`
// `pipeline_error`) go to ERROR_INDEX, by default BULK_INDEX with `errors` for `{dataset}`
// (so a plain BULK_INDEX takes everything, as before).

import { Normalizer } from "cloudflare-ecs";

/** Uncompressed input per destination request: ~2 MiB of records make a ~5 MB `_bulk` body. */
const DEFAULT_CHUNK_BYTES = 2 * 1024 * 1024;
const DATASET = "{dataset}";

/**
 * The destination's checked configuration (DESTINATION_*, BULK_INDEX, ERROR_INDEX, OPTIONS,
 * CHUNK_BYTES).
 */
export function destinationConfig(env) {
  const destination = env.DESTINATION_URL;
  if (!destination) throw new Error("DESTINATION_URL is not set");
  new URL(destination); // throws on a malformed URL
  const type = env.DESTINATION_TYPE || "bulk";
  if (type !== "bulk" && type !== "ndjson") throw new Error(`DESTINATION_TYPE must be "bulk" or "ndjson", not ${JSON.stringify(type)}`);
  let index;
  let errorIndex;
  if (type === "bulk") {
    index = env.BULK_INDEX;
    if (!index) throw new Error("BULK_INDEX is not set");
    if (/[{}]/.test(index.replaceAll(DATASET, ""))) throw new Error(`BULK_INDEX may hold ${DATASET} and no other braces: ${JSON.stringify(index)}`);
    errorIndex = env.ERROR_INDEX || index.replaceAll(DATASET, "errors");
    if (/[{}]/.test(errorIndex)) throw new Error(`ERROR_INDEX is one index, without braces: ${JSON.stringify(errorIndex)}`);
  }
  const number = (name, fallback, min, max) => {
    const value = env[name] === undefined ? fallback : Number(env[name]);
    if (!Number.isSafeInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}`);
    return value;
  };
  let options = {};
  if (env.OPTIONS) {
    options = typeof env.OPTIONS === "string" ? JSON.parse(env.OPTIONS) : env.OPTIONS;
    new Normalizer(options).free(); // rejects unknown options now, not per batch
  }
  return {
    destination,
    type,
    index,
    errorIndex,
    // Documents are read (JSON.parse) only when their index depends on what they are.
    routed: type === "bulk" && (index.includes(DATASET) || errorIndex !== index),
    authorization: env.DESTINATION_AUTHORIZATION,
    chunkBytes: number("CHUNK_BYTES", DEFAULT_CHUNK_BYTES, 1, Number.MAX_SAFE_INTEGER),
    retries: number("DESTINATION_RETRIES", 3, 0, 10),
    retryMs: number("DESTINATION_RETRY_MS", 1000, 0, 60_000),
    timeoutMs: number("DESTINATION_TIMEOUT_MS", 30_000, 1, 600_000),
    options,
  };
}

/**
 * Normalizes one piece of NDJSON (whole lines) and sends its documents; `dataset` is the one
 * the normalizer forces, if any. Returns the number of documents `received` (one per
 * non-blank line), `delivered` (as themselves or as error documents), `rejected` (delivered
 * as `destination_rejected` error documents), and `failure`: why the destination did not take
 * them all, or null.
 */
export async function deliverBatch(normalizer, ndjson, config, dataset) {
  const documents = normalizer.transformBatch(ndjson).split("\n");
  documents.pop(); // every document ends with "\n"
  const records = recordLines(ndjson);
  if (records.length !== documents.length) {
    throw new Error(`${documents.length} documents for ${records.length} records`);
  }
  const ids = config.type === "bulk" ? await recordIds(records) : null;
  // Logpush's check upload `{"content":"tests"}` is acknowledged, not forwarded.
  const items = [];
  documents.forEach((document, i) => {
    if (isValidationUpload(document)) return;
    items.push({ document, record: records[i], id: ids?.[i], ...(config.routed ? route(document, dataset, config) : { index: config.index }) });
  });
  const result = { received: documents.length, delivered: 0, rejected: 0, failure: null };
  if (items.length === 0) return result;
  Object.assign(result, await forward(items, config));
  if (!result.failure) result.delivered = items.length;
  if (result.rejected) {
    console.warn(`${result.rejected} documents rejected by the destination for their content were delivered as destination_rejected error documents to ${config.errorIndex}`);
  }
  return result;
}

/**
 * The document's index and dataset. Every error document holds the text "pipeline_error";
 * other documents of a forced dataset are not read (JSON.parse costs about half as much CPU
 * as normalizing).
 */
function route(document, forced, config) {
  let dataset = forced && forced !== "auto" ? forced : undefined;
  let error = false;
  if (!dataset || document.includes('"pipeline_error"')) {
    const { event } = JSON.parse(document);
    dataset = event?.dataset;
    error = event?.kind === "pipeline_error" || !dataset;
  }
  return { dataset, index: error ? config.errorIndex : config.index.replaceAll(DATASET, dataset) };
}

/**
 * The lines of NDJSON bytes that are records, in the order `transformBatch` gives their
 * documents: split at "\n", surrounding ASCII whitespace (and so a "\r") dropped, blank ones
 * skipped.
 */
function recordLines(ndjson) {
  const records = [];
  let start = 0;
  while (start <= ndjson.length) {
    let end = ndjson.indexOf(0x0a, start);
    if (end < 0) end = ndjson.length;
    let [from, to] = [start, end];
    while (from < to && isAsciiWhitespace(ndjson[from])) from += 1;
    while (to > from && isAsciiWhitespace(ndjson[to - 1])) to -= 1;
    if (to > from) records.push(ndjson.subarray(from, to));
    start = end + 1;
  }
  return records;
}

/** The `_id` of every record line. */
async function recordIds(records) {
  const digests = await Promise.all(records.map((record) => crypto.subtle.digest("SHA-256", record)));
  return digests.map(base64url);
}

/** Rust's `u8::is_ascii_whitespace`, which the core uses to skip blank lines. */
function isAsciiWhitespace(byte) {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0c || byte === 0x0d;
}

function base64url(buffer) {
  return btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** The error document cloudflare-ecs gives for Logpush's destination check upload. */
function isValidationUpload(line) {
  if (!line.includes('"logpush_validation"')) return false;
  try {
    return JSON.parse(line).error?.type === "logpush_validation";
  } catch {
    return false;
  }
}

/**
 * Sends the items until the destination took every one, within DESTINATION_RETRIES retries
 * after load failures. Returns { failure, rejected }: `failure` null once all were taken.
 */
async function forward(items, config) {
  let pending = items;
  let rejected = 0;
  let retries = 0;
  for (;;) {
    const answer = await post(pending, config);
    if (answer.failure && !answer.retryable) return { failure: answer.failure, rejected };
    const outcome = answer.failure ? { again: pending, busy: answer.failure } : config.type === "bulk" ? bulkOutcome(answer.text, pending, config) : { again: [] };
    if (outcome.failure) return { failure: outcome.failure, rejected };
    rejected += outcome.rejected ?? 0;
    if (outcome.again.length === 0) return { failure: null, rejected };
    if (outcome.busy) {
      if (retries >= config.retries) return { failure: `${outcome.busy}; gave up after ${retries + 1} tries`, rejected };
      // Exponential backoff with jitter, so Workers retrying at once spread out.
      await sleep(config.retryMs * 2 ** retries * (0.5 + Math.random() / 2));
      retries += 1;
    }
    // Error documents for rejected items alone are sent at once: the destination is not busy.
    pending = outcome.again;
  }
}

/**
 * One request. Returns { text } on a 2xx, else { failure, retryable }: retryable when the
 * destination was unreachable, silent, or answered 408, 429 or 5xx.
 */
async function post(items, config) {
  let body;
  if (config.type === "bulk") {
    body = items.map((item) => `${JSON.stringify({ create: { _index: item.index, _id: item.id } })}\n${item.document}\n`).join("");
  } else {
    body = items.map((item) => `${item.document}\n`).join("");
  }
  const headers = { "Content-Type": "application/x-ndjson" };
  if (config.authorization) headers.Authorization = config.authorization;
  let response;
  let text;
  try {
    const signal = AbortSignal.timeout(config.timeoutMs);
    response = await fetch(config.destination, { method: "POST", headers, body, signal });
    text = await response.text();
  } catch (e) {
    const why = e.name === "TimeoutError" ? `no answer within ${config.timeoutMs} ms` : `unreachable: ${e.message}`;
    return { failure: `${config.destination} ${why}`, retryable: true };
  }
  if (response.ok) return { text };
  const { status } = response;
  return { failure: `${config.destination} answered ${status}: ${text.slice(0, 500)}`, retryable: status === 408 || status === 429 || status >= 500 };
}

/**
 * What a `_bulk` answer leaves to do: { again: the items to send again, busy: why some were
 * refused for load (then they wait), rejected: how many became error documents } or
 * { failure } when it cannot be read or an item was refused for good.
 */
function bulkOutcome(text, items, config) {
  let result;
  try {
    result = JSON.parse(text);
  } catch {
    return { failure: `_bulk answered with a body that is not JSON: ${text.slice(0, 200)}` };
  }
  if (result.errors === false) return { again: [] };
  const answers = (result.items ?? []).map((item) => Object.values(item)[0]);
  if (answers.length !== items.length) {
    return { failure: `_bulk answered errors: ${JSON.stringify(result.errors)} with ${answers.length} items for ${items.length} documents` };
  }
  const again = [];
  let busy = null;
  let rejected = 0;
  for (const [i, answer] of answers.entries()) {
    const status = answer?.status;
    const item = items[i];
    // 409: a document with this `_id` is there already, from an earlier delivery.
    if ((status >= 200 && status < 300) || status === 409) continue;
    const reason = answer?.error ? errorReason(answer.error) : "no details";
    if (status === 429 || status >= 500) {
      again.push(item);
      busy ??= `_bulk refused documents for load (first: ${status} ${reason})`;
    } else if (status === 400 && !item.rejected) {
      again.push(rejectedItem(item, reason, config));
      rejected += 1;
    } else {
      const what = item.rejected ? "the error document of a rejected document" : "a document";
      return { failure: `_bulk refused ${what} with ${status}: ${reason}` };
    }
  }
  return { again, busy, rejected };
}

/** Elasticsearch's reason for an item's error, with its cause. */
function errorReason(error) {
  const cause = error.caused_by ? ` (caused by ${error.caused_by.type}: ${error.caused_by.reason})` : "";
  return `${error.type}: ${error.reason}${cause}`;
}

/** The error document, with its own `_id`, that stands for a document the destination rejected. */
function rejectedItem(item, reason, config) {
  const dataset = item.dataset ?? JSON.parse(item.document).event?.dataset;
  const document = JSON.stringify({
    error: { message: reason, type: "destination_rejected" },
    event: dataset ? { dataset, kind: "pipeline_error" } : { kind: "pipeline_error" },
    message: new TextDecoder().decode(item.record), // invalid UTF-8 replaced by U+FFFD, as the core does
    observer: { vendor: "Cloudflare" },
  });
  return { ...item, document, id: `${item.id}-rejected`, index: config.errorIndex, rejected: true };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The stream in pieces of at least `size` bytes (unless it ends), each ending at a line end. */
export async function* lineChunks(stream, size) {
  const reader = stream.getReader();
  let parts = [];
  let bytes = 0;
  let lastEnd = -1; // index of the last part that holds a line end
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!value?.length) continue;
    parts.push(value);
    bytes += value.length;
    if (value.includes(0x0a)) lastEnd = parts.length - 1;
    if (bytes >= size && lastEnd >= 0) {
      const part = parts[lastEnd];
      const cut = part.lastIndexOf(0x0a) + 1;
      yield concat([...parts.slice(0, lastEnd), part.subarray(0, cut)]);
      // What follows the last line end holds none.
      parts = [part.subarray(cut), ...parts.slice(lastEnd + 1)].filter((p) => p.length);
      bytes = parts.reduce((n, p) => n + p.length, 0);
      lastEnd = -1;
    }
  }
  if (bytes) yield concat(parts);
}

export function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
