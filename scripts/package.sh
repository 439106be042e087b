#!/usr/bin/env bash
# Builds the VSIXs. The sidecar and its native SQLite library are per platform, so
# the Marketplace gets one VSIX per platform (vsce --target) plus a universal one:
#
#   npm run package            artifacts/plue-vscode.vsix: this machine's platform (what the
#                              E2Es install; PLUE_TARGET picks another), and the universal one
#   npm run package -- --host  artifacts/plue-vscode.vsix alone (what `npm start` serves)
#   npm run package:all        artifacts/plue-vscode-<target>.vsix for every target
#                              below, then checks each one's contents
#   bash scripts/package.sh T…  just those targets, named as package:all names them
#
# A platform VSIX carries a self-contained sidecar (the .NET runtime included, so
# nothing to install): composite ReadyToRun (the framework compiled with it), which shortens its cold start (scripts/bench.sh prints it beside its floor), and trimmed, which
# halves its size (the wire types use System.Text.Json source generation, so the
# trimmer keeps what they need). package:all's targets are those whose runtime packs NuGet serves
# here (not win32-arm64's; alpine-arm64 and linux-armhf are built by the release workflow). The universal VSIX carries the framework-dependent sidecar (plue.dll, the
# native SQLite library of each platform VS Code runs on); the extension finds a .NET 10 runtime
# for it or acquires one (extension/src/sidecar/dotnetRuntime.ts).
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(linux-x64 win32-x64 universal darwin-arm64 darwin-x64 linux-arm64 alpine-x64)
source scripts/lib/publish.sh

# publish TARGET: the sidecar for TARGET (scripts/lib/publish.sh keeps each target's publish in dist/publish/<target>)
# into dist/sidecar, what .vscodeignore ships.
publish() {
  publish_sidecar "$1"
  sign_sidecar "$1"
  rm -rf dist/sidecar
  cp -a "dist/publish/$1" dist/sidecar
}

# vsix TARGET OUT: the bundle (vscode:prepublish) and the published sidecar into OUT, kept with a hash of its inputs in
# OUT.inputs and reused while they are unchanged (the sidecar's through its publish's own stamp).
# PLUE_PRE_RELEASE=true marks it a pre-release (the release workflow sets it for a tag v*-pre* or when asked): the
# galleries publish a pre-release only from a VSIX packaged as one.
vsix() {
  local target_args=() inputs
  [ "$1" != universal ] && target_args=(--target "$1")
  [ "${PLUE_PRE_RELEASE:-}" = true ] && target_args+=(--pre-release)
  inputs=$( (git ls-files -z --cached --others --exclude-standard -- extension media package.json package-lock.json \
      .vscodeignore tsconfig.json CHANGELOG.md LICENSE MARKETPLACE.md scripts/bundle.mjs scripts/package.sh \
    | xargs -0 sha256sum 2>/dev/null; cat "dist/publish/$1.inputs"; echo "$1 ${PLUE_PRE_RELEASE:-}") | sha256sum | cut -d' ' -f1)
  if [ -f "$2" ] && [ "$(cat "$2.inputs" 2>/dev/null)" = "$inputs" ]; then
    echo "package: $2 is up to date"
    return 0
  fi
  mkdir -p artifacts
  rm -f "$2.inputs"
  npx --no-install vsce package --no-dependencies "${target_args[@]}" --readme-path MARKETPLACE.md --out "$2"
  echo "$inputs" > "$2.inputs"
}

if [ "$#" -eq 0 ] || [ "$1" = --host ]; then
  target="${PLUE_TARGET:-$(host_target)}"
  # The universal VSIX too (the E2Es try it where no .NET is installed), first: dist/sidecar ends as this
  # platform's, which a development host (F5, the integration suite) runs.
  if [ "$target" != universal ] && [ "${1:-}" != --host ]; then
    publish universal
    vsix universal artifacts/plue-vscode-universal.vsix
  fi
  publish "$target"
  vsix "$target" artifacts/plue-vscode.vsix
  exit 0
fi

targets=("$@")
[ "$1" = --all ] && targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
  rid_of "$target" >/dev/null
  echo "package: $target"
  publish "$target"
  vsix "$target" "artifacts/plue-vscode-$target.vsix"
done
node --test tests/packaging/
ls -l artifacts/plue-vscode-*.vsix
