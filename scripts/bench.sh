#!/usr/bin/env bash
# Benchmarks of the real sidecar, published as a platform VSIX ships it (scripts/lib/publish.sh: self-contained,
# composite ReadyToRun, trimmed; the same cached publish scripts/package.sh makes) and started by its apphost, each
# figure beside its floor (plue-floor: a minimal .NET JSON-RPC responder and a fake provider, published and started
# the same way), interleaved in one run. Where no platform VSIX is built (another OS or CPU) both are published as the
# universal VSIX's sidecar is (framework-dependent) and started with `dotnet`.
# Usage: scripts/bench.sh [speed|rpc|chat|catalog|tasks|cli|codex|providers|claude] [--short] [bench arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/publish.sh
target=$(host_target)
floor=artifacts/bench-floor/$target
publish_sidecar "$target"
if [ "$target" = universal ]; then
  build="framework-dependent, as the universal VSIX ships it, started with dotnet"
  cached_publish "$floor" bench/Plue.Floor bench/Plue.Floor/Plue.Floor.csproj -p:UseAppHost=false
else
  build="self-contained, composite ReadyToRun, trimmed: as the $target VSIX ships it, started by its apphost"
  # shellcheck disable=SC2046 # the arguments are words
  cached_publish "$floor" bench/Plue.Floor bench/Plue.Floor/Plue.Floor.csproj $(platform_publish_args "$(rid_of "$target")")
fi
suite=speed
if [ $# -gt 0 ] && [[ $1 != --* ]]; then suite=$1; shift; fi
PLUE_BENCH_BUILD="$build" dotnet run -c Release --project bench/Plue.Bench -- "$suite" "$@" \
  --sidecar "dist/publish/$target/plue.dll" --floor "$floor/plue-floor.dll" --repo "$PWD"
