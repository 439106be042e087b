# Sourced by test.sh and start.sh: everything a fresh clone needs before it can
# run, each step skipped when already done. Fails (set -e) on the first error.

plue_setup() {
  command -v dotnet >/dev/null || { echo "setup: .NET 10 SDK (dotnet) is not on PATH" >&2; return 1; }
  command -v node >/dev/null || { echo "setup: Node 20 (node) is not on PATH" >&2; return 1; }

  # npm ci when node_modules is missing or was installed from another lock file.
  local lock_hash
  lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ ! -d node_modules ] || [ "$(cat node_modules/.plue-lock-hash 2>/dev/null)" != "$lock_hash" ]; then
    echo "setup: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$lock_hash" > node_modules/.plue-lock-hash
  fi

  echo "setup: install-tools"
  CODE_SERVER="$(bash scripts/install-tools.sh | tail -n 1)"
  export CODE_SERVER
  # The claude-code tests drive the real CLI (against a loopback fake model); install it here, not mid-test.
  PLUE_CLAUDE_CLI="$(bash tests/support/install-claude.sh | tail -n 1)"
  export PLUE_CLAUDE_CLI

  echo "setup: dotnet build"
  dotnet build plue-vscode.sln -nologo -v quiet -clp:ErrorsOnly

  # Package first: the VSIX takes the minified bundle; build then leaves out/ source-mapped, which the
  # integration suite runs and its coverage is mapped through.
  echo "setup: npm run package, build, lint"
  npm run --silent package >/dev/null
  npm run --silent build >/dev/null
  npm run --silent lint
}
