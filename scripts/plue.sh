#!/usr/bin/env bash
# Runs the `plue` command line from a clone: builds the sidecar the first time (or when one of its inputs is newer),
# then runs it with the caller's arguments, e.g. `scripts/plue.sh ask "hello"` or `npm run plue -- ask "hello"`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dll="$root/server/bin/Debug/net10.0/plue.dll"
# Touched after each build here: dotnet build leaves the dll alone when a newer file changed nothing.
stamp="$root/server/obj/plue-sh.built"
# The sidecar's inputs: its sources and project, the shipped content beside it, the build's props. Not bin/ or obj/:
# any build writes there (a Release build's generated AssemblyInfo.cs is newer than the Debug dll, yet changes nothing).
stale() {
  [[ ! -f "$dll" ]] && return 0
  local since=(-newer "$dll")
  [[ -f "$stamp" ]] && since+=(-newer "$stamp")
  [[ -n "$(find "$root/server" "$root/templates" "$root/prompts" "$root/catalog" "$root"/Directory.*.props \
      \( -path "$root/server/bin" -o -path "$root/server/obj" \) -prune -o -type f "${since[@]}" -print -quit)" ]]
}
# dotnet build has the last word on what to compile (a touched file whose content is unchanged compiles nothing).
if stale; then
  dotnet build "$root/server/Plue.Server.csproj" -v quiet -nologo >&2
  touch "$stamp"
fi
exec dotnet "$dll" "$@"
