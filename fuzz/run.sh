#!/usr/bin/env bash
# Builds and runs every cargo-fuzz target for SECONDS each, one after the other (one job),
# then prints executions, coverage and crashes per target.
#
#   fuzz/run.sh SECONDS [TARGET...]     (default: 60 seconds, every target)
#
# Installs what is missing: cargo-fuzz (pinned, into .tools/), the nightly toolchain, the
# wasm32 target. abi_batch runs a module built here from the current sources (into
# fuzz/target/wasm), so its documents are also compared byte for byte with the native core.
# New corpus entries go to fuzz/corpus-work/<target> (git-ignored); the committed seeds in
# fuzz/corpus/<target> are only read. Crashing inputs land in fuzz/artifacts/<target>/;
# replay one with (PATH including .tools/bin):
#   cargo +nightly fuzz run --sanitizer none <target> fuzz/artifacts/<target>/<file>
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECONDS_EACH=${1:-60}
shift || true
ALL_TARGETS=(core_structured core_bytes abi_batch)
if [ "$#" -gt 0 ]; then TARGETS=("$@"); else TARGETS=("${ALL_TARGETS[@]}"); fi
CARGO_FUZZ_VERSION=0.13.2

case "$SECONDS_EACH" in
  ''|*[!0-9]*) echo "usage: fuzz/run.sh SECONDS [TARGET...]" >&2; exit 2 ;;
esac

step() { printf '\n== %s\n' "$*" >&2; }

export PATH="$ROOT/.tools/bin:$PATH"
if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  step "installing cargo-fuzz $CARGO_FUZZ_VERSION into .tools/"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --root "$ROOT/.tools"
fi
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown

step "raw module from the current sources (for abi_batch)"
CARGO_TARGET_DIR="$ROOT/fuzz/target/wasm" \
  cargo build --locked --profile wasm --target wasm32-unknown-unknown
export CFECS_WASM="$ROOT/fuzz/target/wasm/wasm32-unknown-unknown/wasm/cloudflare_ecs.wasm"
export CFECS_FUZZ_DIFF=1
# The fuzz workspace's own target directory, whatever the caller (build.sh) exported.
export CARGO_TARGET_DIR="$ROOT/fuzz/target"

# No sanitizer: the code under test is safe Rust (the raw ABI's unsafe code runs as wasm, where
# wasmtime bounds-checks it), and AddressSanitizer slows each input 3-5x. Overflow checks and
# debug assertions stay on (cargo-fuzz's default), so arithmetic overflow is a crash.
step "building the fuzz targets (nightly, coverage instrumentation, no sanitizer)"
cargo +nightly fuzz build --sanitizer none

# Per target: the longest input libFuzzer may try, and a dictionary of JSON and Logpush tokens.
max_len() {
  case "$1" in
    abi_batch) echo 65536 ;;
    *) echo 16384 ;;
  esac
}

LOG_DIR="$ROOT/fuzz/target/logs"
mkdir -p "$LOG_DIR"
declare -A EXECS COV STATUS
failed=0
for target in "${TARGETS[@]}"; do
  step "fuzzing $target for ${SECONDS_EACH}s"
  work="$ROOT/fuzz/corpus-work/$target"
  mkdir -p "$work" "$ROOT/fuzz/corpus/$target" "$ROOT/fuzz/artifacts/$target"
  args=(-max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=30 -max_len="$(max_len "$target")"
        -print_final_stats=1)
  if [ "$target" != core_structured ]; then args+=(-dict="$ROOT/fuzz/json.dict"); fi
  log="$LOG_DIR/$target.log"
  set +e
  cargo +nightly fuzz run --sanitizer none "$target" "$work" "$ROOT/fuzz/corpus/$target" -- "${args[@]}" >"$log" 2>&1
  rc=$?
  set -e
  EXECS[$target]=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n1)
  COV[$target]=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n1)
  if [ "$rc" -eq 0 ]; then
    STATUS[$target]="no crash"
  else
    failed=1
    artifact=$(grep -oE 'Test unit written to [^ ]+' "$log" | tail -n1 | sed 's/Test unit written to //')
    STATUS[$target]="CRASH (exit $rc) ${artifact:-see $log}"
    grep -E 'panicked|ERROR: |SUMMARY' "$log" | head -n 5 >&2 || true
  fi
done

step "summary (${SECONDS_EACH}s per target; logs in fuzz/target/logs/)"
printf '%-16s %14s  %-24s %s\n' target executions coverage result
for target in "${TARGETS[@]}"; do
  printf '%-16s %14s  %-24s %s\n' "$target" "${EXECS[$target]:-?}" "${COV[$target]:-?}" "${STATUS[$target]}"
done
exit "$failed"
