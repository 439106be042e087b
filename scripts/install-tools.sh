#!/usr/bin/env bash
# Installs what the tests and `npm start` need beyond npm ci: Debian's chromium, tmux
# and ripgrep, and code-server (a real VS Code) in a cache outside the repo, so
# a fresh clone on the same machine does not pay its ~4 minutes again.
set -euo pipefail

TOOLS="${PLUE_TOOLS:-$HOME/.cache/plue-vscode}"
CODE_SERVER_VERSION=4.100.3

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v rg >/dev/null || need_apt+=(ripgrep)
command -v tmux >/dev/null || need_apt+=(tmux)  # the command line's terminal tests
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "install-tools: apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

cs="$TOOLS/code-server-$CODE_SERVER_VERSION"
if [ ! -x "$cs/node_modules/.bin/code-server" ]; then
  echo "install-tools: code-server $CODE_SERVER_VERSION into $cs (a few minutes, once)"
  mkdir -p "$cs"
  # @vscode/ripgrep's postinstall downloads from GitHub unless its cache holds the archive.
  tmp="${TMPDIR:-/tmp}"
  cache="$tmp/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$cache" "$tmp/plue-rgtar"
  cp "$(command -v rg)" "$tmp/plue-rgtar/rg"
  tar czf "$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$tmp/plue-rgtar" rg
  (cd "$cs" && [ -f package.json ] || echo '{"name":"plue-code-server","private":true}' > "$cs/package.json")
  (cd "$cs" && npm_config_yes=true npm_config_unsafe_perm=true npm_config_nodedir=/usr \
     npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >/dev/null)
fi
echo "$cs/node_modules/.bin/code-server"
