#!/usr/bin/env bash
# Builds the pinned Go tools the tests need into .tools/bin, once per version.
# Usage: scripts/tools.sh [opa] [crane] [cosign] [registry]   (no argument: all)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.tools/bin"
cache="${MODELGATE_TOOLS_CACHE:-$HOME/.cache/modelgate-tools}"
mkdir -p "$bin" "$cache"

OPA_VERSION=v1.22.4
CRANE_VERSION=v0.22.1
COSIGN_VERSION=v2.6.4

# go_tool NAME VERSION PACKAGE: builds PACKAGE@VERSION into the version cache,
# then links it into .tools/bin. A cached binary is reused as it is.
go_tool() {
  local name=$1 version=$2 pkg=$3 out="$cache/$1-$2"
  if [ ! -x "$out/$name" ]; then
    echo "tools: building $name $version" >&2
    mkdir -p "$out"
    GOBIN="$out" CGO_ENABLED=0 GOFLAGS=-trimpath go install "$pkg@$version"
  fi
  ln -sf "$out/$name" "$bin/$name"
}

# The OCI registry comes from Debian; its package would start a system
# service on install, which policy-rc.d blocks.
registry() {
  if command -v docker-registry >/dev/null; then return; fi
  echo "tools: installing docker-registry from apt" >&2
  local prc=/usr/sbin/policy-rc.d had=0
  [ -e "$prc" ] && had=1
  [ "$had" = 1 ] || printf '#!/bin/sh\nexit 101\n' >"$prc"
  chmod +x "$prc"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry >/dev/null
  [ "$had" = 1 ] || rm -f "$prc"
}

want=("$@")
[ ${#want[@]} -gt 0 ] || want=(opa crane cosign registry)
for t in "${want[@]}"; do
  case "$t" in
    opa) go_tool opa "$OPA_VERSION" github.com/open-policy-agent/opa ;;
    crane) go_tool crane "$CRANE_VERSION" \
      github.com/google/go-containerregistry/cmd/crane ;;
    cosign) go_tool cosign "$COSIGN_VERSION" \
      github.com/sigstore/cosign/v2/cmd/cosign ;;
    registry) registry ;;
    *) echo "tools: unknown tool $t" >&2; exit 2 ;;
  esac
done
