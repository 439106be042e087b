# Sourced by test.sh and start.sh: everything a fresh clone needs before it can run (`plue_setup`, for `npm start`)
# or be tested (`plue_setup test`), each step skipped when already done. Returns non-zero on the first error.
# Every step says what it does and what it usually takes, a line every 20 s while it runs, and its time when done
# (on stderr: the steps' own output is theirs).

# plue_step LABEL ESTIMATE COMMAND…: runs COMMAND with its progress shown; ESTIMATE is what it takes on a fresh
# machine, in words ("about 4 min").
plue_step() {
  local label=$1 estimate=$2 t0 rc=0 ticker
  shift 2
  t0=$(date +%s)
  echo "setup: $label (first run: $estimate)" >&2
  # A ticker, so that a long step never looks stuck; stdout closed, so a caller capturing the step's output does not wait for it.
  ( while sleep 20; do echo "setup:   $label: $(( $(date +%s) - t0 )) s so far (first run: $estimate)" >&2; done ) >/dev/null &
  ticker=$!
  "$@" || rc=$?
  kill "$ticker" 2>/dev/null
  wait "$ticker" 2>/dev/null
  if [ "$rc" != 0 ]; then
    echo "setup: $label failed (exit $rc) after $(( $(date +%s) - t0 )) s" >&2
    return "$rc"
  fi
  echo "setup:   $label: done in $(( $(date +%s) - t0 )) s" >&2
}

# plue_setup [test]: without an argument, what `npm start` needs: node_modules, the Debian packages and code-server that
# running needs, and this platform's VSIX. With `test`, all the suites need too: the test-only tools (chromium, the
# keychain's Secret Service, qemu and arm64 libraries, tmux, the real claude CLI), the whole solution built, the
# universal VSIX, the source-mapped bundle and test bundles, and the lint.
plue_setup() {
  local mode=${1:-run}
  command -v dotnet >/dev/null || { echo "setup: .NET 10 SDK (dotnet) is not on PATH" >&2; return 1; }
  command -v node >/dev/null || { echo "setup: Node 20 (node) is not on PATH" >&2; return 1; }

  # npm ci when node_modules is missing or was installed from another lock file.
  local lock_hash
  lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ ! -d node_modules ] || [ "$(cat node_modules/.plue-lock-hash 2>/dev/null)" != "$lock_hash" ]; then
    plue_step "npm ci" "about 1 min" npm ci --no-audit --no-fund --loglevel=error || return
    echo "$lock_hash" > node_modules/.plue-lock-hash
  fi

  local tools_out
  tools_out=$(mktemp)
  plue_step "install-tools${1:+ $1}: Debian packages and code-server" "about 4 min, then cached in ${PLUE_TOOLS:-~/.cache/plue-vscode}" \
    bash scripts/install-tools.sh ${1:+"$1"} >"$tools_out" || { rm -f "$tools_out"; return 1; }
  CODE_SERVER="$(tail -n 1 "$tools_out")"
  rm -f "$tools_out"
  export CODE_SERVER

  if [ "$mode" != test ]; then
    plue_step "npm run package -- --host: the sidecar (Native AOT) and this platform's VSIX" "about 3 min, then reused while unchanged" \
      bash scripts/package.sh --host >/dev/null || return
    return 0
  fi

  # The claude-code tests drive the real CLI (against a loopback fake model); install it here, not mid-test.
  local claude_out
  claude_out=$(mktemp)
  plue_step "the claude CLI" "about 30 s, then cached" bash tests/support/install-claude.sh >"$claude_out" || { rm -f "$claude_out"; return 1; }
  PLUE_CLAUDE_CLI="$(tail -n 1 "$claude_out")"
  rm -f "$claude_out"
  export PLUE_CLAUDE_CLI

  plue_step "dotnet build" "about 2 min" dotnet build plue-vscode.sln -nologo -v quiet -clp:ErrorsOnly || return

  # Package first: the VSIX takes the minified bundle; build then leaves out/ source-mapped, which the
  # integration suite runs and its coverage is mapped through.
  plue_step "npm run package: the sidecars and both VSIXs" "about 5 min, then reused while unchanged" \
    bash scripts/package.sh >/dev/null || return
  plue_step "npm run build: bundles and test bundles" "about 1 min" npm run --silent build >/dev/null || return
  plue_step "npm run lint" "about 1 min" npm run --silent lint || return
}
