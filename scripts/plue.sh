#!/usr/bin/env bash
# Runs the `plue` command line from a clone: builds the sidecar the first time (or when a source is newer), then
# runs it with the caller's arguments, e.g. `scripts/plue.sh ask "hello"` or `npm run plue -- ask "hello"`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dll="$root/server/bin/Debug/net10.0/plue.dll"
if [[ ! -f "$dll" ]] || [[ -n "$(find "$root/server" -name '*.cs' -newer "$dll" -print -quit)" ]]; then
  dotnet build "$root/server/Plue.Server.csproj" -v quiet -nologo >&2
fi
exec dotnet "$dll" "$@"
