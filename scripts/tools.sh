#!/usr/bin/env bash
# Builds the pinned Go tools the tests need into .tools/bin, once per version.
# Usage: scripts/tools.sh [opa] [crane] [cosign] [registry] [kube] [etcd] [helm]
#        (no argument: all)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.tools/bin"
cache="${MODELGATE_TOOLS_CACHE:-$HOME/.cache/modelgate-tools}"
mkdir -p "$bin" "$cache"

OPA_VERSION=v1.22.4
CRANE_VERSION=v0.22.1
COSIGN_VERSION=v2.6.4
# kube-apiserver and kubectl come from k8s.io/kubernetes; its staging modules
# (k8s.io/api, k8s.io/apiserver, ...) are published with a v0 version.
KUBE_VERSION=v1.37.2
KUBE_STAGING_VERSION=v0.37.2
# Debian's etcd (3.4.23) is older than current API servers support.
ETCD_VERSION=v3.6.16
HELM_VERSION=v3.21.4

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

# in_module OUT CMD...: runs CMD OUT.tmp in OUT.tmp/src, a fresh tools module
# (its go.mod and go.sum stay there, beside the binaries they built).
in_module() {
  local out=$1
  shift
  rm -rf "$out.tmp" && mkdir -p "$out.tmp/src"
  (cd "$out.tmp/src" && go mod init local/tools >/dev/null 2>&1 &&
    "$@" "$out.tmp")
}

# finish OUT: moves a finished build from OUT.tmp into the cache, so an
# interrupted build never leaves a half-filled version directory behind.
finish() {
  rm -rf "$1" && mv "$1.tmp" "$1"
}

# kube-apiserver and kubectl are built in one tools module that requires
# k8s.io/kubernetes and replaces each staging module (which its own go.mod
# points at ./staging) with the published version.
kube_build() {
  local gomod mods m
  gomod=$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" |
    sed -n 's/^\s*"GoMod": "\(.*\)",\?$/\1/p')
  mods=$(sed -n 's#^\s*\(k8s.io/[^ ]*\) => \./staging/.*#\1#p' "$gomod")
  for m in $mods; do
    go mod edit -replace="$m=$m@$KUBE_STAGING_VERSION"
  done
  go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@$KUBE_VERSION" \
    "k8s.io/kubernetes/cmd/kubectl@$KUBE_VERSION"
  local v=k8s.io/component-base/version minor
  minor=$(echo "$KUBE_VERSION" | cut -d. -f2)
  CGO_ENABLED=0 go build -trimpath -o "$1/" -ldflags "-s -w \
    -X $v.gitVersion=$KUBE_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$minor \
    -X $v.gitTreeState=clean" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl
}

kube() {
  local out="$cache/kube-$KUBE_VERSION"
  if [ ! -x "$out/kube-apiserver" ] || [ ! -x "$out/kubectl" ]; then
    echo "tools: building kube-apiserver and kubectl $KUBE_VERSION" >&2
    in_module "$out" kube_build
    finish "$out"
  fi
  ln -sf "$out/kube-apiserver" "$bin/kube-apiserver"
  ln -sf "$out/kubectl" "$bin/kubectl"
}

# etcd's server module replaces its sibling modules with relative paths, so
# `go install` refuses it; a two-line main in a tools module builds it.
etcd_build() {
  printf '%s\n' 'package main' \
    'import "os"' 'import "go.etcd.io/etcd/server/v3/etcdmain"' \
    'func main() { etcdmain.Main(os.Args) }' >main.go
  go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  go mod tidy
  CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$1/etcd" .
}

etcd_tool() {
  local out="$cache/etcd-$ETCD_VERSION"
  if [ ! -x "$out/etcd" ]; then
    echo "tools: building etcd $ETCD_VERSION" >&2
    in_module "$out" etcd_build
    finish "$out"
  fi
  ln -sf "$out/etcd" "$bin/etcd"
}

# helm reports Kubernetes 1.20 as its default target unless told otherwise.
helm_tool() {
  local out="$cache/helm-$HELM_VERSION" minor p=helm.sh/helm/v3
  minor=$(echo "$KUBE_VERSION" | cut -d. -f2)
  if [ ! -x "$out/helm" ]; then
    echo "tools: building helm $HELM_VERSION" >&2
    rm -rf "$out.tmp" && mkdir -p "$out.tmp"
    GOBIN="$out.tmp" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w \
      -X $p/internal/version.version=$HELM_VERSION \
      -X $p/pkg/chartutil.k8sVersionMajor=1 \
      -X $p/pkg/chartutil.k8sVersionMinor=$minor \
      -X $p/pkg/lint/rules.k8sVersionMajor=1 \
      -X $p/pkg/lint/rules.k8sVersionMinor=$minor" \
      "$p/cmd/helm@$HELM_VERSION"
    finish "$out"
  fi
  ln -sf "$out/helm" "$bin/helm"
}

want=("$@")
[ ${#want[@]} -gt 0 ] || want=(opa crane cosign registry kube etcd helm)
for t in "${want[@]}"; do
  case "$t" in
    opa) go_tool opa "$OPA_VERSION" github.com/open-policy-agent/opa ;;
    crane) go_tool crane "$CRANE_VERSION" \
      github.com/google/go-containerregistry/cmd/crane ;;
    cosign) go_tool cosign "$COSIGN_VERSION" \
      github.com/sigstore/cosign/v2/cmd/cosign ;;
    registry) registry ;;
    kube) kube ;;
    etcd) etcd_tool ;;
    helm) helm_tool ;;
    *) echo "tools: unknown tool $t" >&2; exit 2 ;;
  esac
done
