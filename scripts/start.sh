#!/usr/bin/env bash
# The one run command (`npm start [FOLDER]`): installs and builds what running needs (no test tools, no test
# bundles: `npm test` adds those), then serves code-server with the VSIX installed on 127.0.0.1:${PLUE_PORT:-8080},
# FOLDER (default: a sample workspace in .run/workspace) open, until Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
source scripts/lib/setup.sh
plue_setup
echo "setup: ready in $(( ($(date +%s) - started) / 60 )) min $(( ($(date +%s) - started) % 60 )) s" >&2

workspace="${1:-.run/workspace}"
if [ -z "${1:-}" ] && [ ! -d "$workspace" ]; then
  mkdir -p "$workspace"
  printf '# Sample workspace\n\nOpen the Plue view in the activity bar, or run "Plue: Show Sidecar Status" (F1).\n' > "$workspace/README.md"
fi
[ -d "$workspace" ] || { echo "start.sh: $workspace is not a folder" >&2; exit 1; }
exec node scripts/serve.mjs "${PLUE_PORT:-8080}" "$workspace"
