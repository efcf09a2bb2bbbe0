#!/usr/bin/env bash
# Builds the Rego policy into the committed wasm module, or checks it:
#   policy.sh build   compile policies/ into policies/dist/modelgate.wasm
#   policy.sh check   opa check --strict, opa fmt, opa test, and fail when the
#                     committed module differs from a fresh build
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
opa="$root/.tools/bin/opa"
out="$root/policies/dist/modelgate.wasm"
[ -x "$opa" ] || bash "$root/scripts/tools.sh" opa

compile() {
  local tmp
  tmp=$(mktemp -d)
  # Relative paths: the module embeds source locations, and it must come
  # out byte for byte the same wherever the repository is checked out.
  (cd "$root" && "$opa" build -t wasm --ignore '*_test.rego' \
    -e modelgate/result -e modelgate/wanted -e modelgate/rule_catalog \
    -o "$tmp/bundle.tar.gz" policies/modelgate >&2)
  tar -xzf "$tmp/bundle.tar.gz" -C "$tmp" /policy.wasm 2>/dev/null ||
    tar -xzf "$tmp/bundle.tar.gz" -C "$tmp" policy.wasm
  cp "$tmp/policy.wasm" "$1"
  rm -rf "$tmp"
}

case "${1:-build}" in
  build)
    mkdir -p "$(dirname "$out")"
    compile "$out"
    echo "policy: wrote ${out#"$root"/}"
    ;;
  check)
    "$opa" check --strict "$root/policies"
    if ! "$opa" fmt --fail -l "$root/policies" >/dev/null; then
      echo "policy: run 'opa fmt -w policies' (unformatted files)" >&2
      exit 1
    fi
    "$opa" test "$root/policies"
    fresh=$(mktemp)
    compile "$fresh"
    if ! cmp -s "$fresh" "$out"; then
      rm -f "$fresh"
      echo "policy: policies/dist/modelgate.wasm is stale; run npm run policy:build" >&2
      exit 1
    fi
    rm -f "$fresh"
    echo "policy: committed module matches the sources"
    ;;
  *) echo "usage: policy.sh build|check" >&2; exit 2 ;;
esac
