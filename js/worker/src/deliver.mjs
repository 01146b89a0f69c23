// The output path shared by Logpush pushes (index.mjs) and scheduled pulls (pull.mjs):
// NDJSON records → cloudflare-ecs `transformBatch` → Elasticsearch/OpenSearch `_bulk` or a
// plain NDJSON endpoint, with the same configuration and the same delivery rules.
//
// Every document sent to `_bulk` is created (`create`) with an `_id` derived from its record:
// the SHA-256 of the record's line (surrounding whitespace and the line end excluded), in
// base64url. A batch sent twice — Logpush retrying a batch that was half delivered, a pull
// window read again — creates nothing twice: Elasticsearch answers `409` for the documents it
// already has, and a `409` counts as delivered.

import { Normalizer } from "cloudflare-ecs";

/** Uncompressed input per destination request: ~2 MiB of records make a ~5 MB `_bulk` body. */
const DEFAULT_CHUNK_BYTES = 2 * 1024 * 1024;

/** The destination's checked configuration (DESTINATION_*, BULK_INDEX, OPTIONS, CHUNK_BYTES). */
export function destinationConfig(env) {
  const destination = env.DESTINATION_URL;
  if (!destination) throw new Error("DESTINATION_URL is not set");
  new URL(destination); // throws on a malformed URL
  const type = env.DESTINATION_TYPE || "bulk";
  if (type !== "bulk" && type !== "ndjson") throw new Error(`DESTINATION_TYPE must be "bulk" or "ndjson", not ${JSON.stringify(type)}`);
  if (type === "bulk" && !env.BULK_INDEX) throw new Error("BULK_INDEX is not set");
  const chunkBytes = env.CHUNK_BYTES ? Number(env.CHUNK_BYTES) : DEFAULT_CHUNK_BYTES;
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes <= 0) throw new Error("CHUNK_BYTES must be a positive integer");
  let options = {};
  if (env.OPTIONS) {
    options = typeof env.OPTIONS === "string" ? JSON.parse(env.OPTIONS) : env.OPTIONS;
    new Normalizer(options).free(); // rejects unknown options now, not per batch
  }
  return { destination, type, index: env.BULK_INDEX, authorization: env.DESTINATION_AUTHORIZATION, chunkBytes, options };
}

/**
 * Normalizes one piece of NDJSON (whole lines) and sends its documents. Returns the number of
 * documents `received` (one per non-blank line), `delivered`, and `failure`: why the
 * destination did not take them all, or null.
 */
export async function deliverBatch(normalizer, ndjson, config) {
  const documents = normalizer.transformBatch(ndjson).split("\n");
  documents.pop(); // every document ends with "\n"
  const ids = config.type === "bulk" ? await recordIds(ndjson) : null;
  if (ids && ids.length !== documents.length) {
    throw new Error(`${documents.length} documents for ${ids.length} records`);
  }
  // Logpush's check upload `{"content":"tests"}` is acknowledged, not forwarded.
  const keep = documents.map((doc, i) => i).filter((i) => !isValidationUpload(documents[i]));
  if (keep.length === 0) return { received: documents.length, delivered: 0, failure: null };
  const failure = await forward(
    keep.map((i) => documents[i]),
    ids && keep.map((i) => ids[i]),
    config,
  );
  return { received: documents.length, delivered: failure ? 0 : keep.length, failure };
}

/**
 * The `_id` of every record of NDJSON bytes, in the order `transformBatch` gives their
 * documents: lines split at "\n", a "\r" before it dropped, lines of ASCII whitespace skipped.
 */
async function recordIds(ndjson) {
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

/** Sends the documents; returns why delivery failed, or null once the destination took them all. */
async function forward(documents, ids, config) {
  let body;
  if (config.type === "bulk") {
    body = documents.map((doc, i) => `${JSON.stringify({ create: { _index: config.index, _id: ids[i] } })}\n${doc}\n`).join("");
  } else {
    body = documents.map((doc) => `${doc}\n`).join("");
  }
  const headers = { "Content-Type": "application/x-ndjson" };
  if (config.authorization) headers.Authorization = config.authorization;

  let response;
  try {
    response = await fetch(config.destination, { method: "POST", headers, body });
  } catch (e) {
    return `${config.destination} unreachable: ${e.message}`;
  }
  const text = await response.text();
  if (!response.ok) {
    return `${config.destination} answered ${response.status}: ${text.slice(0, 500)}`;
  }
  if (config.type === "bulk") {
    let result;
    try {
      result = JSON.parse(text);
    } catch {
      return `_bulk answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`;
    }
    if (result.errors === false) return null;
    const items = (result.items ?? []).map((item) => Object.values(item)[0]);
    if (items.length !== documents.length) {
      return `_bulk answered errors: ${JSON.stringify(result.errors)} with ${items.length} items for ${documents.length} documents`;
    }
    // 409: a document with this `_id` is there already, from an earlier delivery.
    const failed = items.filter((item) => !(item?.status >= 200 && item.status < 300) && item?.status !== 409);
    if (failed.length) {
      const first = failed[0]?.error;
      const reason = first ? `${first.type}: ${first.reason}` : "no item details";
      return `_bulk rejected ${failed.length} of ${documents.length} documents (first: ${reason})`;
    }
  }
  return null;
}

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
