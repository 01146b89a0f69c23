// A Cloudflare Worker between Logpush and a SIEM: receives Logpush HTTP destination pushes
// (gzip-compressed NDJSON), turns every line into an ECS document with cloudflare-ecs, and
// forwards the documents to Elasticsearch/OpenSearch `_bulk` or to a plain NDJSON endpoint
// (deliver.mjs). On a Cron Trigger, the same Worker pulls audit logs and Logpull from the
// Cloudflare API and delivers them the same way (pull.mjs, configured by PULL_*).
//
// Answers: 200 only once the destination took every document of the batch, as itself or as
// an error document (or there was nothing to deliver, like Logpush's destination check
// upload); 401 without the shared secret; 400 for a body or `dataset` that can never
// succeed; 500 when the Worker is misconfigured; 502 when the destination failed even after
// the retries of deliver.mjs, so Logpush retries the batch. See ../../README.md ("Deploy as a
// Worker").
//
// Configuration (wrangler.toml [vars] and `wrangler secret put`):
//   LOGPUSH_SECRET            secret, required: the value Logpush sends in the auth header
//   LOGPUSH_SECRET_HEADER     the header carrying it (default "X-Logpush-Secret")
//   DESTINATION_URL           required: the `_bulk` URL, or the NDJSON endpoint's URL
//   DESTINATION_TYPE          "bulk" (default: Elasticsearch/OpenSearch) or "ndjson"
//   BULK_INDEX                the index or data stream (required for "bulk"); "{dataset}" in it
//                             is replaced by each document's event.dataset
//   ERROR_INDEX               where error documents go (default: BULK_INDEX, "errors" for "{dataset}")
//   DESTINATION_AUTHORIZATION secret, optional: Authorization header sent to the destination
//   OPTIONS                   optional: cloudflare-ecs options as JSON, e.g. {"keep_message":false}
//   CHUNK_BYTES               uncompressed input bytes per destination request (default 2 MiB)
//   DESTINATION_TIMEOUT_MS    a destination request without an answer by then fails (default 30000)
//   DESTINATION_RETRIES       retries after 429, 5xx, timeouts, unreachable (default 3)
//   DESTINATION_RETRY_MS      the first retry's backoff, doubled each time (default 1000)
// The `dataset` query parameter of the Worker's URL (kept by Logpush from destination_conf)
// forces the dataset for that job; otherwise each record's dataset is detected.

import { Normalizer } from "cloudflare-ecs";

import { concat, deliverBatch, destinationConfig, lineChunks } from "./deliver.mjs";
import { pull } from "./pull.mjs";

export { PullMarks } from "./marks.mjs";

const DEFAULT_SECRET_HEADER = "X-Logpush-Secret";

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
    let rejected = 0;
    try {
      for await (const chunk of lineChunks(await bodyStream(request), config.chunkBytes)) {
        const result = await deliverBatch(normalizer, chunk, config, options.dataset);
        received += result.received;
        if (result.failure) {
          console.error(`delivery failed: ${result.failure}`);
          return reply(502, `destination failed: ${result.failure}`);
        }
        delivered += result.delivered;
        rejected += result.rejected;
      }
    } catch (e) {
      return reply(400, `unreadable body: ${e.message}`);
    } finally {
      normalizer.free();
    }
    return reply(200, JSON.stringify({ received, delivered, rejected }), { "Content-Type": "application/json" });
  },

  async scheduled(controller, env) {
    await pull(env, controller.scheduledTime);
  },
};

function configure(env) {
  const secret = env.LOGPUSH_SECRET;
  if (!secret) throw new Error("LOGPUSH_SECRET is not set");
  return { secret, secretHeader: env.LOGPUSH_SECRET_HEADER || DEFAULT_SECRET_HEADER, ...destinationConfig(env) };
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

function reply(status, text, headers = {}) {
  return new Response(text.endsWith("\n") ? text : `${text}\n`, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", ...headers },
  });
}
