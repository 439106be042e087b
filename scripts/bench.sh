#!/usr/bin/env bash
# Benchmarks of the real sidecar, published as users get it (Release, ReadyToRun).
set -euo pipefail
cd "$(dirname "$0")/.."
rid=$(dotnet --info | awk -F': *' '/^ *RID:/ {print $2; exit}')
out=artifacts/bench-sidecar
dotnet publish server/Plue.Server.csproj -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$out" -v quiet -nologo >/dev/null
# Arguments after the suite go to the bench (e.g. `scripts/bench.sh chat --deltas-only`).
dotnet run -c Release --project bench/Plue.Bench -- "${1:-rpc}" "${@:2}" --sidecar "$out/plue.dll" --repo "$PWD"
