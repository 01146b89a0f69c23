/**
 * cloudflare-ecs: Cloudflare Logpush records in, Elastic Common Schema (ECS) documents out.
 *
 * Every record yields exactly one document. A record that cannot be normalized (not JSON,
 * unknown dataset, too large, ...) yields an *error document* (`event.kind` is
 * `"pipeline_error"`, `error.type` says why, `message` keeps the original text) instead of
 * an exception, so nothing is lost. Exceptions are thrown only for rejected options and
 * arguments of the wrong JavaScript type.
 *
 * Exact times: Cloudflare's `unixnano` timestamps (e.g. `1657233726004000000`) exceed
 * `Number.MAX_SAFE_INTEGER` (2^53), so a record that went through `JSON.parse` may
 * already have lost nanoseconds. Pass the raw JSON text (a `string` or `Uint8Array`) to
 * `transform`, `transformJson` or `transformBatch` when you need exact times. Likewise
 * `transform` returns `JSON.parse` of the document: use `transformJson` to keep large
 * integers of the output exact.
 */

/** The options, the same in every cloudflare-ecs surface. Unknown names are rejected. */
export interface Options {
  /**
   * `"auto"` (the default) recognizes each record's Logpush dataset from its fields;
   * a Logpush dataset name (e.g. `"http_requests"`, `"dns_logs"`) forces that dataset.
   */
  dataset?: string;
  /** Keep the original record text in `message` (default `true`). Error documents always keep it. */
  keep_message?: boolean;
  /** Records longer than this many bytes give a `too_large` error document (default 1 MiB). */
  max_record_bytes?: number;
}

/** A record: its JSON text (`string` or UTF-8 bytes) or, for `transform`, a parsed object. */
export type RecordInput = string | Uint8Array;

/** `error.type` of an error document (more codes may be added). */
export type ErrorType =
  | "invalid_json"
  | "not_an_object"
  | "unknown_dataset"
  | "unsupported_dataset"
  | "too_large"
  | "too_deep"
  | "invalid_utf8"
  | "logpush_validation"
  | "invalid_options"
  | "invalid_input"
  | "destination_rejected"
  | (string & {});

/** An ECS document as a JavaScript object. Only the most common fields are spelled out. */
export interface EcsDocument {
  "@timestamp"?: string;
  /** The original record text (unless `keep_message: false`; error documents always have it). */
  message?: string;
  event?: {
    /** `"pipeline_error"` for error documents. */
    kind?: string;
    /** The Cloudflare Logpush dataset. */
    dataset?: string;
    category?: string[];
    type?: string[];
    action?: string;
    outcome?: string;
    [field: string]: unknown;
  };
  /** Set on error documents. */
  error?: { type?: ErrorType; message?: string; [field: string]: unknown };
  observer?: { vendor?: string; type?: string; [field: string]: unknown };
  /** Cloudflare fields with no ECS home, under their Cloudflare names. */
  cloudflare?: { [field: string]: unknown };
  [field: string]: any;
}

/**
 * Normalizes one record. A `string` or `Uint8Array` is the record's JSON text; any other
 * value (an object from `JSON.parse`) is passed through `JSON.stringify` first, so its
 * `message` is the re-serialized text and integers above 2^53 may already be inexact.
 * @throws {Error} when `options` are rejected.
 * @throws {TypeError} when `record` cannot be serialized (e.g. `undefined`, a cycle, a BigInt).
 */
export function transform(record: RecordInput | object, options?: Options | null): EcsDocument;

/** Normalizes one record's JSON text into one ECS document's JSON text (no trailing newline). */
export function transformJson(record: RecordInput, options?: Options | null): string;

/**
 * Normalizes NDJSON: one document, followed by `\n`, per non-blank input line, in order.
 * Bad lines give error documents; the call itself throws only for a wrong argument type
 * or rejected options.
 */
export function transformBatch(ndjson: RecordInput, options?: Options | null): string;

/** Holds one set of options, checked once, for many calls. */
export class Normalizer {
  /** @throws {Error} when `options` are rejected (unknown name, wrong type, unknown dataset). */
  constructor(options?: Options | null);
  /** As the function `transform`, with this normalizer's options. */
  transform(record: RecordInput | object): EcsDocument;
  /** As the function `transformJson`, with this normalizer's options. */
  transformJson(record: RecordInput): string;
  /** As the function `transformBatch`, with this normalizer's options. */
  transformBatch(ndjson: RecordInput): string;
  /** Frees the WebAssembly memory now, rather than when garbage-collected. */
  free(): void;
}
