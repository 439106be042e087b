#!/usr/bin/env bash
# The one test command (`npm test`): sets up a fresh clone, builds and packages,
# then runs every suite with its output visible, prints a summary table and the
# line and branch coverage of server/ (xUnit, coverlet) and extension/src (the
# integration suite's extension host, c8), and ends with exactly "N passed, N failed". Exits non-zero when any suite failed
# or did not run; a suite that crashes or reports no counts counts as failed.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

started=$(date +%s)
out=artifacts/test-results
rm -rf "$out" && mkdir -p "$out"
suites=(duplicates dotnet node keychain faults webview integration languageModels e2e bench figures)
# PLUE_SUITES="dotnet node": those suites alone, the others neither run nor counted (the CI workflow spreads them over
# its jobs); every suite when it is unset.
if [ -n "${PLUE_SUITES:-}" ]; then
  for s in $PLUE_SUITES; do
    [[ " ${suites[*]} " == *" $s "* ]] || { echo "test.sh: PLUE_SUITES names '$s', which is not a suite (one of ${suites[*]})" >&2; exit 2; }
  done
  read -r -a suites <<< "$PLUE_SUITES"
fi
wanted() { [[ " ${suites[*]} " == *" $1 "* ]]; }
declare -A passed failed status seconds

if ! (set -e; plue_setup test); then
  echo "test.sh: set-up failed; no suite ran." >&2
  setup_failed=1
fi

# run_suite NAME TIMEOUT COMMAND...: runs with output teed to $out/NAME.log.
run_suite() {
  local name=$1 limit=$2; shift 2
  wanted "$name" || return 0
  local t0=$(date +%s)
  echo
  echo "=== $name: $* ==="
  timeout --kill-after=30 "$limit" "$@" 2>&1 | tee "$out/$name.log"
  local rc=${PIPESTATUS[0]}
  seconds[$name]=$(( $(date +%s) - t0 ))
  status[$name]=$([ "$rc" = 0 ] && echo ok || echo "exit $rc")
  [ "$rc" = 124 ] && status[$name]="timed out"
  return 0
}

# count NAME PASSED FAILED: records counts; a non-zero exit with no failure counted is one failure.
count() {
  local name=$1 p=${2:-} f=${3:-}
  wanted "$name" || return 0
  if [ -z "$p" ] || [ -z "$f" ]; then
    passed[$name]=0; failed[$name]=1; status[$name]="${status[$name]}, no counts"
    return
  fi
  passed[$name]=$p; failed[$name]=$f
  if [ "${status[$name]}" != ok ] && [ "$f" = 0 ]; then failed[$name]=1; fi
}

# TAP from node --test: "# pass N", "# fail N", "# cancelled N".
count_tap() {
  wanted "$1" || return 0
  local log="$out/$1.log"
  local p f c
  p=$(grep -E '^# pass [0-9]+' "$log" | tail -n1 | awk '{print $3}')
  f=$(grep -E '^# fail [0-9]+' "$log" | tail -n1 | awk '{print $3}')
  c=$(grep -E '^# cancelled [0-9]+' "$log" | tail -n1 | awk '{print $3}')
  [ -n "$f" ] && f=$(( f + ${c:-0} ))
  count "$1" "$p" "$f"
}

if [ -z "${setup_failed:-}" ]; then
  # xUnit runs on the JIT (coverage); the process suites (node, faults, E2E) start the sidecar the platform VSIX ships
  # (Native AOT on linux-x64), which set-up has just published: run-time failures of that build show there.
  source scripts/lib/publish.sh
  if [ "$(host_target)" != universal ]; then
    PLUE_SIDECAR="$PWD/$(sidecar_program "$(host_target)")"
    export PLUE_SIDECAR
    echo "test.sh: the process suites run $PLUE_SIDECAR"
  fi

  run_suite duplicates 5m bash scripts/lib/duplicates.sh
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out/duplicates.log" 2>/dev/null | tail -n1)
  count duplicates "$(awk '{print $1}' <<<"$line")" "$(awk '{print $3}' <<<"$line")"

  run_suite dotnet 20m dotnet test plue-vscode.sln --no-build --logger trx --results-directory "$out/dotnet" \
    --collect:"XPlat Code Coverage" --settings tests/coverage.runsettings
  # shellcheck disable=SC2046
  wanted dotnet && count dotnet $(node scripts/lib/trxCounts.mjs "$out"/dotnet/*.trx)
  wanted dotnet && node scripts/lib/coberturaSummary.mjs "$out"/dotnet/*/coverage.cobertura.xml > "$out/coverage-server.txt" 2>&1

  # The swarm suites (a tree across three engines) take about four minutes of it.
  run_suite node 16m node --test tests/node/ tests/packaging/
  count_tap node

  # The vault key in the OS keychain, against a real Secret Service on a private D-Bus session.
  run_suite keychain 10m bash tests/keychain/run.sh
  count_tap keychain

  # The fault suite: the real sidecar fed hostile frames, files and provider responses, bounded per case.
  run_suite faults 15m node --test tests/faults/
  count_tap faults

  run_suite webview 10m node --test tests/webview/
  count_tap webview

  # The extension host inherits NODE_V8_COVERAGE through code-server and writes its coverage when the suite ends.
  rm -rf "$out/v8-integration"
  NODE_V8_COVERAGE="$PWD/$out/v8-integration" run_suite integration 10m node tests/extension/runInCodeServer.mjs
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out/integration.log" 2>/dev/null | tail -n1)
  count integration "$(awk '{print $1}' <<<"$line")" "$(awk '{print $3}' <<<"$line")"
  wanted integration && node scripts/lib/extensionCoverage.mjs "$out/v8-integration" "$out/coverage-extension" > "$out/coverage-extension.txt" 2>&1
  rm -rf "$out/v8-integration"

  # VS Code's Language Model API both ways needs VS Code 1.104+: this suite alone runs on the newer code-server.
  if ! wanted languageModels; then
    :
  elif lm_code_server="$(bash scripts/install-tools.sh lm | tail -n 1)"; then
    CODE_SERVER="$lm_code_server" PLUE_IT_SUITE=languageModels PLUE_IT_EXTENSIONS="$PWD/tests/extension/lmFixture" \
      run_suite languageModels 10m node tests/extension/runInCodeServer.mjs
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out/languageModels.log" | tail -n1)
    count languageModels "$(awk '{print $1}' <<<"$line")" "$(awk '{print $3}' <<<"$line")"
  else
    status[languageModels]="the newer code-server did not install"; seconds[languageModels]=0
    count languageModels 0 1
  fi

  run_suite e2e 35m node --test tests/e2e/
  count_tap e2e

  # The bench in its short mode, held to the performance budget (bench/Plue.Bench/Budgets.cs): a pass per figure within
  # its budget, a failure per figure over it (its line names the figure, its floor, the ratio and the budget); no
  # budget line (the bench broke before its table) is a failure. Its table goes to the results, not to docs/.
  PLUE_BENCH_DOC="$out/BENCHMARKS.md" run_suite bench 20m bash scripts/bench.sh --short
  line=$(grep -E '^budget: [0-9]+ passed, [0-9]+ failed$' "$out/bench.log" 2>/dev/null | tail -n1)
  count bench "$(awk '{print $2}' <<<"$line")" "$(awk '{print $4}' <<<"$line")"

  # The README's coverage and VSIX sizes against what this run printed and packaged.
  run_suite figures 1m node scripts/lib/figures.mjs --check
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out/figures.log" 2>/dev/null | tail -n1)
  count figures "$(awk '{print $1}' <<<"$line")" "$(awk '{print $3}' <<<"$line")"
else
  for s in "${suites[@]}"; do passed[$s]=0; failed[$s]=1; status[$s]="did not run"; seconds[$s]=0; done
fi

total_p=0; total_f=0
echo
printf '%-12s %7s %7s %9s  %s\n' suite passed failed seconds status
for s in "${suites[@]}"; do
  printf '%-12s %7s %7s %9s  %s\n' "$s" "${passed[$s]}" "${failed[$s]}" "${seconds[$s]}" "${status[$s]}"
  total_p=$(( total_p + passed[$s] )); total_f=$(( total_f + failed[$s] ))
done
for report in "$out/coverage-server.txt" "$out/coverage-extension.txt"; do
  [ -s "$report" ] && { echo; cat "$report"; }
done
echo
node scripts/lib/failedTests.mjs "$out" 2>&1 || true
echo "total time $(( $(date +%s) - started )) s; logs in $out/"
echo "$total_p passed, $total_f failed"
[ "$total_f" = 0 ] && [ -z "${setup_failed:-}" ]
