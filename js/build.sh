#!/usr/bin/env bash
# The npm package (dist/npm/) and the JS tests (npm package + Worker in workerd).
#
#   js/build.sh build   install what is missing (pinned), build dist/npm/
#   js/build.sh test    build, then run the JS tests (node --test)
#   js/build.sh test-built   run the JS tests on dist/npm/ as built (../build.sh test)
#   js/build.sh wasm-opt IN OUT   optimize a module (also the raw module, from ../build.sh)
#
# Needs Rust (with rustup) and Node >= 20 with npm; downloads only from crates.io and npm.
# Tools go into the repository: wasm-bindgen-cli into .tools/ (git-ignored), wasm-opt
# (binaryen's npm build, not Debian's older one) and the test tooling (miniflare, workerd,
# typescript) into js/node_modules/ from js/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
TOOLS="$ROOT/.tools"
OUT="$ROOT/dist/npm"
CRATE=cloudflare_ecs

step() { printf '\n== %s\n' "$*" >&2; }

# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock
}

install_wasm_bindgen() {
  local want have
  want=$(wasm_bindgen_version)
  [ -n "$want" ] || { echo "wasm-bindgen is not in Cargo.lock" >&2; exit 1; }
  have=$("$TOOLS/bin/wasm-bindgen" --version 2>/dev/null | awk '{ print $2 }' || true)
  if [ "$have" != "$want" ]; then
    step "installing wasm-bindgen-cli $want into .tools/ (several minutes, once)"
    # Not --locked: the CLI's published lock file pins a crate version crates.io no longer has.
    cargo install wasm-bindgen-cli --version "$want" --root "$TOOLS" --force
  fi
  WASM_BINDGEN="$TOOLS/bin/wasm-bindgen"
}

install_rust_target() {
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
    || rustup target add wasm32-unknown-unknown
}

# js/node_modules from the lock file; skipped while the lock file is unchanged.
install_node_modules() {
  local stamp=js/node_modules/.package-lock.sha256 sum
  sum=$(sha256sum js/package-lock.json | awk '{ print $1 }')
  if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
    step "npm ci (js/): binaryen, miniflare, workerd, typescript"
    (cd js && npm ci --no-audit --no-fund)
    echo "$sum" > "$stamp"
  fi
}

# `wasm-opt -O3`: the raw module is ~20 KB smaller gzipped (385 → 365 KB; room under the
# 400 KB budget for the datasets still to map), at the same speed within the noise of
# `./build.sh bench`. The raw module is stripped of its target_features section, so the
# features Rust's wasm32 target emits are named; no others may appear.
wasm_opt() {
  install_node_modules
  step "wasm-opt -O3 $2"
  js/node_modules/.bin/wasm-opt -O3 \
    --enable-bulk-memory --enable-bulk-memory-opt --enable-call-indirect-overlong \
    --enable-multivalue --enable-mutable-globals --enable-nontrapping-float-to-int \
    --enable-reference-types --enable-sign-ext \
    "$1" -o "$2"
}

build() {
  install_rust_target
  install_wasm_bindgen
  step "npm package dist/npm (wasm-bindgen $("$WASM_BINDGEN" --version | awk '{ print $2 }'))"
  cargo build --locked --target wasm32-unknown-unknown --profile wasm-js --features js
  local wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-js/$CRATE.wasm"
  local gen="$CARGO_TARGET_DIR/npm-bindgen"
  rm -rf "$gen" "$OUT"
  for target in nodejs web; do
    "$WASM_BINDGEN" --target "$target" --out-dir "$gen/$target" --out-name "$CRATE" \
      --remove-name-section --remove-producers-section --no-typescript "$wasm"
  done
  # Every target gets the same module; the package ships it once.
  cmp "$gen/nodejs/${CRATE}_bg.wasm" "$gen/web/${CRATE}_bg.wasm"

  mkdir -p "$OUT"
  wasm_opt "$gen/web/${CRATE}_bg.wasm" "$OUT/${CRATE}_bg.wasm"
  # The glue, renamed by module kind. It finds the .wasm by file name, so renaming is safe.
  strip_ts_self_types < "$gen/nodejs/$CRATE.js" > "$OUT/node.cjs"
  strip_ts_self_types < "$gen/web/$CRATE.js" > "$OUT/web.mjs"
  cp js/npm/node.mjs js/npm/workerd.mjs js/npm/browser.mjs js/npm/web.d.mts "$OUT/"
  cp js/npm/index.d.ts "$OUT/index.d.ts"
  cp js/npm/index.d.ts "$OUT/index.d.mts"
  { printf '# cloudflare-ecs\n\n'; cat js/README.md; } > "$OUT/README.md"
  local version
  version=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
  # package.json with the crate's version; every file it lists must be there.
  node -e '
    const fs = require("fs"), path = require("path");
    const [src, out, version] = process.argv.slice(1);
    const pkg = JSON.parse(fs.readFileSync(src, "utf8"));
    pkg.version = version;
    const missing = pkg.files.filter((f) => !fs.existsSync(path.join(out, f)));
    if (missing.length) { console.error(`${out} lacks ${missing.join(", ")}`); process.exit(1); }
    fs.writeFileSync(path.join(out, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
  ' js/npm/package.json "$OUT" "$version"
  ls -l "$OUT" >&2
}

# The glue's `/* @ts-self-types=... */` names a .d.ts this package does not ship.
strip_ts_self_types() { sed '/^\/\* @ts-self-types=.* \*\/$/d'; }

run_tests() {
  install_node_modules
  step "clippy: the wasm-bindgen API (src/abi/js.rs)"
  cargo clippy --locked -p cloudflare-ecs --lib --target wasm32-unknown-unknown --features js -- -D warnings
  step "JS tests: npm package (Node), packed tarball (ESM, CJS, TypeScript), Worker (workerd)"
  node --test js/test/*.test.mjs
}

case "${1:-build}" in
  build) build ;;
  test) build; run_tests ;;
  test-built) run_tests ;;
  wasm-opt) wasm_opt "$2" "$3" ;;
  *) echo "usage: js/build.sh [build|test|test-built|wasm-opt IN OUT]" >&2; exit 2 ;;
esac
