// The npm package's part of the benchmark, run by the bench binary (bench/src/node.rs):
//
//   node bench.cjs --npm DIR --file NDJSON [--rounds N] [--batch N] [--batch-timing N] [--long N]
//
// Loads DIR/node.cjs (the package's CommonJS entry), times `transformBatch` (batches of
// --batch lines), per-record `transform` (object in, object out), per-record `transformJson`
// (text in, text out) and `JSON.parse` + `JSON.stringify` of each line, interleaved over
// --rounds rounds after at least 3 s of warm-up, and prints one JSON object of median times
// on stdout.
// --batch-timing N: also times one N-record batch, cold (the first call) and warm.
// --long N: also makes N `transformJson` calls and samples the module's linear memory.
'use strict';

const fs = require('fs');
const path = require('path');

const args = { rounds: 9, batch: 1000, batchTiming: 0, long: 0 };
for (let i = 2; i < process.argv.length; i += 2) {
  const name = process.argv[i].replace(/^--/, '').replace(/-(.)/g, (_, c) => c.toUpperCase());
  const value = process.argv[i + 1];
  args[name] = ['npm', 'file'].includes(name) ? value : Number(value);
}

// The glue keeps the module's exports private; catch its linear memory as it is instantiated.
let memory = null;
const RealInstance = WebAssembly.Instance;
WebAssembly.Instance = function Instance(module, imports) {
  const instance = new RealInstance(module, imports);
  memory = memory || instance.exports.memory;
  return instance;
};
WebAssembly.Instance.prototype = RealInstance.prototype;

const loadStart = process.hrtime.bigint();
const ecs = require(path.resolve(args.npm, 'node.cjs'));
const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;

const lines = fs.readFileSync(args.file, 'utf8').split('\n').filter((line) => line.trim() !== '');
const objects = lines.map((line) => JSON.parse(line));
const batches = [];
for (let i = 0; i < lines.length; i += args.batch) {
  batches.push(lines.slice(i, i + args.batch).join('\n') + '\n');
}

const now = () => process.hrtime.bigint();
const secondsSince = (start) => Number(process.hrtime.bigint() - start) / 1e9;
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const result = { loadMs, records: lines.length };

// First, while the module is cold: one batch of --batch-timing records, as a fresh Worker
// isolate gets it (V8 compiles WebAssembly lazily, then optimizes hot functions in the
// background; warm figures are taken after the warm-up below).
let timingBatch = null;
if (args.batchTiming > 0) {
  const batchLines = [];
  while (batchLines.length < args.batchTiming) {
    batchLines.push(lines[batchLines.length % lines.length]);
  }
  timingBatch = batchLines.join('\n') + '\n';
  const start = now();
  ecs.transformBatch(timingBatch);
  result.batchTiming = { records: args.batchTiming, bytes: Buffer.byteLength(timingBatch), coldMs: secondsSince(start) * 1e3 };
}

let sink = 0;
const methods = {
  transformBatch() {
    for (const batch of batches) sink += ecs.transformBatch(batch).length;
  },
  transform() {
    for (const object of objects) sink += ecs.transform(object).event ? 1 : 0;
  },
  transformJson() {
    for (const line of lines) sink += ecs.transformJson(line).length;
  },
  jsonBaseline() {
    for (const line of lines) sink += JSON.stringify(JSON.parse(line)).length;
  },
};

// The output must be what the core writes: its size is compared by the caller.
result.batchOutputBytes = batches.reduce((n, batch) => n + Buffer.byteLength(ecs.transformBatch(batch)), 0);

const times = Object.fromEntries(Object.keys(methods).map((name) => [name, []]));
// Warm-up, until V8 has had time to optimize the hot functions (at least 3 s).
const warmUpStart = now();
do {
  for (const run of Object.values(methods)) run();
} while (secondsSince(warmUpStart) < 3);
for (let round = 0; round < args.rounds; round++) {
  for (const [name, run] of Object.entries(methods)) {
    const start = now();
    run();
    times[name].push(secondsSince(start));
  }
}
result.seconds = Object.fromEntries(Object.entries(times).map(([name, list]) => [name, median(list)]));

if (timingBatch !== null) {
  const warm = [];
  for (let i = 0; i < 40; i++) {
    const start = now();
    ecs.transformBatch(timingBatch);
    warm.push(secondsSince(start) * 1e3);
  }
  warm.sort((a, b) => a - b);
  result.batchTiming.medianMs = median(warm);
  result.batchTiming.p95Ms = warm[Math.floor(warm.length * 0.95)];
}

if (args.long > 0) {
  const samples = [];
  let next = 1000;
  for (let call = 1; call <= args.long; call++) {
    sink += ecs.transformJson(lines[call % lines.length]).length;
    if (call === next || call === args.long) {
      samples.push({ calls: call, linearMemory: memory ? memory.buffer.byteLength : null, rss: process.memoryUsage().rss });
      next *= 10;
    }
  }
  result.long = samples;
}

result.sink = sink;
process.stdout.write(JSON.stringify(result) + '\n');
