// A Cloudflare Worker between Logpush and a SIEM: receives Logpush HTTP destination pushes
// (gzip-compressed NDJSON), turns every line into an ECS document with cloudflare-ecs, and
// forwards the documents to Elasticsearch/OpenSearch `_bulk` or to a plain NDJSON endpoint.
//
// Answers: 200 only once the batch was delivered (or had nothing to deliver, like Logpush's
// destination check upload); 401 without the shared secret; 400 for a body or `dataset`
// that can never succeed; 500 when the Worker is misconfigured; 502 when the destination
// failed, so Logpush retries the batch. See ../../README.md ("Deploy as a Worker").
//
// Configuration (wrangler.toml [vars] and `wrangler secret put`):
//   LOGPUSH_SECRET            secret, required: the value Logpush sends in the auth header
//   LOGPUSH_SECRET_HEADER     the header carrying it (default "X-Logpush-Secret")
//   DESTINATION_URL           required: the `_bulk` URL, or the NDJSON endpoint's URL
//   DESTINATION_TYPE          "bulk" (default: Elasticsearch/OpenSearch) or "ndjson"
//   BULK_INDEX                the index or data stream (required for "bulk")
//   DESTINATION_AUTHORIZATION secret, optional: Authorization header sent to the destination
//   OPTIONS                   optional: cloudflare-ecs options as JSON, e.g. {"keep_message":false}
//   CHUNK_BYTES               uncompressed input bytes per destination request (default 2 MiB)
// The `dataset` query parameter of the Worker's URL (kept by Logpush from destination_conf)
// forces the dataset for that job; otherwise each record's dataset is detected.

import { Normalizer } from "cloudflare-ecs";

const DEFAULT_SECRET_HEADER = "X-Logpush-Secret";
/** Uncompressed input per destination request: ~2 MiB of records make a ~5 MB `_bulk` body. */
const DEFAULT_CHUNK_BYTES = 2 * 1024 * 1024;

/** Checked configuration, per `env` object (the same for every request of an isolate). */
const configs = new WeakMap();

export default {
  async fetch(request, env) {
    let config = configs.get(env);
    try {
      config ??= configure(env);
      configs.set(env, config);
    } catch (e) {
      return reply(500, `worker misconfigured: ${e.message}`);
    }
    if (!(await authenticated(request, config))) {
      return reply(401, "unauthorized");
    }
    if (request.method !== "POST") {
      return reply(405, "POST Logpush batches to this URL", { Allow: "POST" });
    }

    const options = { ...config.options };
    const dataset = new URL(request.url).searchParams.get("dataset");
    if (dataset) options.dataset = dataset;
    let normalizer;
    try {
      normalizer = new Normalizer(options);
    } catch (e) {
      return reply(400, e.message);
    }

    // The batch is read, normalized and forwarded in chunks of whole lines, so a large
    // Logpush batch (up to max_upload_bytes, uncompressed) never sits in memory at once.
    let received = 0;
    let delivered = 0;
    try {
      for await (const chunk of lineChunks(await bodyStream(request), config.chunkBytes)) {
        const lines = normalizer.transformBatch(chunk).split("\n");
        lines.pop(); // every document ends with "\n"
        received += lines.length;
        const documents = lines.filter((line) => !isValidationUpload(line));
        if (documents.length === 0) continue; // e.g. Logpush's check upload `{"content":"tests"}`
        const failure = await forward(documents, config);
        if (failure) {
          console.error(`delivery failed: ${failure}`);
          return reply(502, `destination failed: ${failure}`);
        }
        delivered += documents.length;
      }
    } catch (e) {
      return reply(400, `unreadable body: ${e.message}`);
    } finally {
      normalizer.free();
    }
    return reply(200, JSON.stringify({ received, delivered }), { "Content-Type": "application/json" });
  },
};

function configure(env) {
  const secret = env.LOGPUSH_SECRET;
  if (!secret) throw new Error("LOGPUSH_SECRET is not set");
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
  return {
    secret,
    secretHeader: env.LOGPUSH_SECRET_HEADER || DEFAULT_SECRET_HEADER,
    destination,
    type,
    index: env.BULK_INDEX,
    authorization: env.DESTINATION_AUTHORIZATION,
    chunkBytes,
    options,
  };
}

/** Compares SHA-256 digests in constant time, so neither content nor length leaks. */
async function authenticated(request, config) {
  const given = request.headers.get(config.secretHeader);
  if (given === null) return false;
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all(
    [given, config.secret].map((text) => crypto.subtle.digest("SHA-256", encoder.encode(text))),
  );
  return crypto.subtle.timingSafeEqual(a, b);
}

/**
 * The request body as a byte stream, gunzipped when it is gzip (magic bytes 1f 8b).
 * NDJSON never starts with 0x1f, so the magic bytes decide; a body sent with
 * `Content-Encoding: gzip` but without them was already decoded on the way.
 */
async function bodyStream(request) {
  if (!request.body) return new Blob([]).stream();
  const reader = request.body.getReader();
  let head = new Uint8Array(0);
  while (head.length < 2) {
    const { done, value } = await reader.read();
    if (done) break;
    head = concat([head, value]);
  }
  const stream = new ReadableStream({
    start(controller) {
      if (head.length) controller.enqueue(head);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  return gzip ? stream.pipeThrough(new DecompressionStream("gzip")) : stream;
}

/** The stream in pieces of at least `size` bytes (unless it ends), each ending at a line end. */
async function* lineChunks(stream, size) {
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

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
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
async function forward(documents, config) {
  let body;
  if (config.type === "bulk") {
    const action = JSON.stringify({ create: { _index: config.index } });
    body = documents.map((doc) => `${action}\n${doc}\n`).join("");
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
    if (result.errors !== false) {
      const failed = (result.items ?? []).map((item) => Object.values(item)[0]).filter((item) => item?.error);
      const first = failed[0]?.error;
      const reason = first ? `${first.type}: ${first.reason}` : "no item details";
      return `_bulk rejected ${failed.length} of ${documents.length} documents (first: ${reason})`;
    }
  }
  return null;
}

function reply(status, text, headers = {}) {
  return new Response(text.endsWith("\n") ? text : `${text}\n`, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", ...headers },
  });
}
