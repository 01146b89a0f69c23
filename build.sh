#!/usr/bin/env bash
# cloudflare-ecs build entry point. Installs what is missing (pinned), builds into dist/.
#
#   ./build.sh          build the raw module and the CLI, then normalize the bundled sample Logpush batch
#   ./build.sh test     build everything (also the npm package), then run every test suite (what .ci/run calls)
#   ./build.sh bench [ARGS]   build everything, then print throughput, ratios, sizes, memory (bench/)
#   ./build.sh fuzz SECONDS   run every fuzz target for SECONDS each (nightly, cargo-fuzz)
#   ./build.sh wasm | cli | npm    build one artifact
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
export CARGO_TARGET_DIR="$ROOT/target"
SAMPLE=examples/logpush-batch.ndjson.gz

step() { printf '\n== %s\n' "$*" >&2; }

install_rust_targets() {
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
    || rustup target add wasm32-unknown-unknown
}

# The raw module: wasm32-unknown-unknown, no imports; also the Fluent Bit filter.
build_wasm() {
  install_rust_targets
  step "raw module dist/cloudflare_ecs.wasm"
  cargo build --locked --profile wasm --target wasm32-unknown-unknown
  mkdir -p dist
  bash js/build.sh wasm-opt target/wasm32-unknown-unknown/wasm/cloudflare_ecs.wasm dist/cloudflare_ecs.wasm
}

# The CLI: native, linking the core crate (no WebAssembly runtime).
build_cli() {
  step "CLI dist/cloudflare-ecs"
  cargo build --locked --release -p cloudflare-ecs-cli
  cp target/release/cloudflare-ecs dist/cloudflare-ecs
}

build_npm() {
  step "npm package dist/npm"
  bash js/build.sh build
}

# What the main job needs: the raw module (for embedders and Fluent Bit) and the CLI.
build_main() {
  build_wasm
  build_cli
}

build_all() {
  build_main
  build_npm
}

run_sample() {
  step "sample Logpush batch ($SAMPLE) through dist/cloudflare-ecs"
  dist/cloudflare-ecs "$SAMPLE"
}

run_tests() {
  step "core unit tests; fixtures and Elastic's conformance pairs natively"
  cargo test --locked -p cloudflare-ecs -p cloudflare-ecs-fixtures
  step "clippy (no panics reachable from input: unwrap/expect/indexing denied outside tests)"
  cargo clippy --locked -p cloudflare-ecs --all-targets -- -D warnings
  cargo clippy --locked -p cloudflare-ecs --lib --target wasm32-unknown-unknown -- -D warnings
  cargo clippy --locked -p cloudflare-ecs-cli --all-targets -- -D warnings
  step "host tests: fixtures natively, through the raw module and Fluent Bit's convention (wasmtime)"
  cargo test --locked --release -p cloudflare-ecs-host-tests -p cloudflare-ecs-wasm-host
  step "CLI tests: pipeline, --jobs, streaming, directories, --out-dir"
  cargo test --locked --release -p cloudflare-ecs-cli
  step "JS tests: npm package and Worker (workerd)"
  bash js/build.sh test-built
}

case "${1:-}" in
  "") build_main; run_sample ;;
  test) build_all; run_tests ;;
  bench) build_all; shift; step "benchmarks"; cargo run --locked --release -p cloudflare-ecs-bench -- "$@" ;;
  fuzz) shift; bash fuzz/run.sh "${1:-60}" ;;
  wasm) build_wasm ;;
  cli) build_cli ;;
  npm) build_npm ;;
  *) echo "usage: ./build.sh [test|bench [ARGS]|fuzz SECONDS|wasm|cli|npm]" >&2; exit 2 ;;
esac
