#!/usr/bin/env bash
# Installs the real Claude Code CLI (npm @anthropic-ai/claude-code@2) once into a cache and prints its path.
# The claude-code provider tests run against it (PLUE_CLAUDE_CLI overrides the path).
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib/cleanNpm.sh"
prefix="${PLUE_CLAUDE_PREFIX:-${PLUE_TOOLS:-$HOME/.cache/plue-vscode}/claude}"
bin="$prefix/node_modules/.bin/claude"
if [ ! -x "$bin" ]; then
  mkdir -p "$prefix"
  clean_npm npm install --silent --no-audit --no-fund --prefix "$prefix" @anthropic-ai/claude-code@2 >&2
fi
echo "$bin"
