#!/usr/bin/env bash
# Benchmarks of the real sidecar, published as users get it (Release, ReadyToRun), each figure beside its floor
# (plue-floor: a minimal .NET JSON-RPC responder and a fake provider, published alike), interleaved in one run.
# Usage: scripts/bench.sh [speed|rpc|chat|catalog|tasks|cli|codex|providers|claude] [--short] [bench arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
rid=$(dotnet --info | awk -F': *' '/^ *RID:/ {print $2; exit}')
out=artifacts/bench-sidecar
floor=artifacts/bench-floor
publish() { dotnet publish "$1" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$2" -v quiet -nologo >/dev/null; }
publish server/Plue.Server.csproj "$out"
publish bench/Plue.Floor/Plue.Floor.csproj "$floor"
suite=speed
if [ $# -gt 0 ] && [[ $1 != --* ]]; then suite=$1; shift; fi
dotnet run -c Release --project bench/Plue.Bench -- "$suite" "$@" --sidecar "$out/plue.dll" --floor "$floor/plue-floor.dll" --repo "$PWD"
