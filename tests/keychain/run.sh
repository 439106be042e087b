#!/usr/bin/env bash
# The OS keychain tests (node --test tests/keychain/) against a real Secret Service: a private D-Bus session
# (dbus-run-session) with GNOME Keyring, its login keyring unlocked, kept in a scratch XDG folder so no real keyring
# is read or written. `scripts/install-tools.sh test` installs gnome-keyring, libsecret-tools and dbus.
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in dbus-run-session gnome-keyring-daemon secret-tool; do
  command -v "$tool" >/dev/null || { echo "tests/keychain: $tool is missing; run bash scripts/install-tools.sh test" >&2; exit 1; }
done
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# The daemon ends with the session's bus, when dbus-run-session returns.
dbus-run-session -- bash -c 'echo -n plue-keychain-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && node --test tests/keychain/' \
  2> >(grep -v 'Failed to set fd limit' >&2)
