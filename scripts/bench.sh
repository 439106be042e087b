#!/usr/bin/env bash
# Benchmarks of the real sidecar, published as a platform VSIX ships it (scripts/lib/publish.sh: Native AOT for this
# machine's own target, else self-contained, composite ReadyToRun, trimmed; the same cached publish
# scripts/package.sh makes) and started as the extension starts it, each figure beside its floors (plue-floor: a
# minimal .NET JSON-RPC responder and a light fake provider, published both ways, composite ReadyToRun and Native
# AOT), interleaved in one run. Where no platform VSIX is built (another OS or CPU) both are published as the universal
# VSIX's sidecar is (framework-dependent) and started with `dotnet`. The chats' fake provider is a C program that only
# writes the stream (bench/fake-writer), built with cc where there is one.
# Usage: scripts/bench.sh [speed|rpc|chat|list|containers|swarm|catalog|tasks|cli|codex|providers|claude|sandbox] [--short] [bench arguments...]
# (--compare path/to/plue: another build of the sidecar, such as the one shipped before a change, started beside it.)
set -euo pipefail
cd "$(dirname "$0")/.."
suite=speed
if [ $# -gt 0 ] && [[ $1 != --* ]]; then suite=$1; shift; fi
# These run no sidecar: nothing to publish first (scripts/bench.sh sandbox --short takes a minute, not the publish's ten).
if [[ $suite =~ ^(sandbox|providers|codex|claude)$ ]]; then
  exec dotnet run -c Release --project bench/Plue.Bench -- "$suite" "$@" --repo "$PWD"
fi
source scripts/lib/publish.sh
target=$(host_target)
floor=artifacts/bench-floor/$target
publish_sidecar "$target"
if [ "$target" = universal ]; then
  build="framework-dependent, as the universal VSIX ships it, started with dotnet; the floor the same"
  cached_publish "$floor" bench/Plue.Floor bench/Plue.Floor/Plue.Floor.csproj -p:UseAppHost=false
  floors=(--floor "$floor/plue-floor.dll")
else
  rid=$(rid_of "$target")
  if native_aot "$rid"; then how="Native AOT"; else how="self-contained, composite ReadyToRun, trimmed"; fi
  build="$how: as the $target VSIX ships it; floors: composite ReadyToRun (R2R) and Native AOT (AOT)"
  # shellcheck disable=SC2046 # the arguments are words
  cached_publish "$floor-r2r" bench/Plue.Floor bench/Plue.Floor/Plue.Floor.csproj $(r2r_publish_args "$rid")
  # shellcheck disable=SC2046
  cached_publish "$floor-aot" bench/Plue.Floor bench/Plue.Floor/Plue.Floor.csproj $(aot_publish_args "$rid")
  floors=(--floor "$floor-r2r/plue-floor" --floor-aot "$floor-aot/plue-floor")
fi
# The floor of the CPU a streamed delta costs: a fake provider in C that only writes the stream (bench/fake-writer),
# where a C compiler is (Native AOT needs one too); elsewhere the chats' fake is plue-floor's own, and the table says so.
if command -v cc >/dev/null; then
  writer=artifacts/bench-floor/sse-writer
  mkdir -p artifacts/bench-floor
  [ "$writer" -nt bench/fake-writer/sse-writer.c ] || cc -O2 -pthread -o "$writer" bench/fake-writer/sse-writer.c
  floors+=(--writer "$writer")
fi
run_bench() {
  PLUE_BENCH_BUILD="$build" dotnet run -c Release --project bench/Plue.Bench -- "$suite" "$@" \
    --sidecar "$(sidecar_program "$target")" "${floors[@]}" --repo "$PWD"
}
# The speed suite's whole table, with its budget lines, is what docs/BENCHMARKS.md quotes: each such run writes it
# (PLUE_BENCH_DOC: elsewhere; test.sh keeps its own run's in its results, not in docs/); a --compare run does not.
if [ "$suite" != speed ] || [[ " $* " == *" --compare "* ]]; then run_bench "$@"; exit; fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
run_bench "$@" | tee "$log"
rc=${PIPESTATUS[0]}
set -e
if grep -q '^(ratio: plue median / floor median' "$log"; then
  doc=${PLUE_BENCH_DOC:-docs/BENCHMARKS.md}
  mkdir -p "$(dirname "$doc")"
  {
    echo "# Benchmarks"
    echo
    echo "**Written by \`scripts/bench.sh\`; never edit it by hand.** Run the bench (\`scripts/bench.sh\` or"
    echo "\`scripts/bench.sh --short\`) and commit what it writes. This is its last run of the speed suite$([[ " $* " == *" --short "* ]] && echo ", short (\`--short\`, as \`npm test\` runs it)"):"
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$([ -n "$(git status --porcelain -- server bench 2>/dev/null)" ] && echo ' with uncommitted changes to server/ or bench/'), $(nproc 2>/dev/null || echo '?') cores."
    echo "Each figure of the real sidecar stands beside its floor (the least that does the same job), measured interleaved"
    echo "in the same run; the ratio of the medians is the figure to read, since absolute times swing on a shared machine."
    echo "The budget lines at the end are the performance budget \`npm test\` holds (\`bench/Plue.Bench/Budgets.cs\`)."
    echo
    echo '```text'
    # The checkout's own path is nobody else's: the repository's root is written as <repo>.
    sed -n '/^plue bench/,$p' "$log" | sed "s|$PWD|<repo>|g"
    echo '```'
  } > "$doc"
  echo "bench: wrote $doc"
fi
exit "$rc"
