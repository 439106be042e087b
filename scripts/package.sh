#!/usr/bin/env bash
# Builds the VSIXs. The sidecar and its native SQLite library are per platform, so
# the Marketplace gets one VSIX per platform (vsce --target) plus a universal one:
#
#   npm run package            artifacts/plue-vscode.vsix: this machine's platform (what the
#                              E2Es install; PLUE_TARGET picks another), and the universal one
#   npm run package:all        artifacts/plue-vscode-<target>.vsix for every target
#                              below, then checks each one's contents
#   bash scripts/package.sh T…  just those targets, named as package:all names them
#
# A platform VSIX carries a self-contained sidecar (the .NET runtime included, so
# nothing to install): composite ReadyToRun (the framework compiled with it), which shortens its cold start (scripts/bench.sh prints it beside its floor), and trimmed, which
# halves its size (the wire types use System.Text.Json source generation, so the
# trimmer keeps what they need). Targets are those whose runtime packs NuGet serves
# here. The universal VSIX carries the framework-dependent sidecar (plue.dll, the
# native SQLite library of each platform VS Code runs on); the extension finds a .NET 10 runtime
# for it or acquires one (extension/src/sidecar/dotnetRuntime.ts).
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(linux-x64 win32-x64 universal)

# The .NET runtime identifier for a VS Code target.
rid_of() {
  case "$1" in
    linux-x64|linux-arm64|linux-armhf) echo "${1/armhf/arm}" ;;
    alpine-x64) echo linux-musl-x64 ;;
    alpine-arm64) echo linux-musl-arm64 ;;
    darwin-x64) echo osx-x64 ;;
    darwin-arm64) echo osx-arm64 ;;
    win32-x64) echo win-x64 ;;
    win32-arm64) echo win-arm64 ;;
    universal) echo "" ;;
    *) echo "package: unknown VS Code target '$1' (one of linux-x64, win32-x64, universal, …)" >&2; return 1 ;;
  esac
}

host_target() {
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) echo linux-x64 ;;
    Linux-aarch64) echo linux-arm64 ;;
    Darwin-x86_64) echo darwin-x64 ;;
    Darwin-arm64) echo darwin-arm64 ;;
    *) echo universal ;;
  esac
}

# publish TARGET: the sidecar for TARGET into dist/sidecar (what .vscodeignore ships). Each target's publish is
# kept in dist/publish/<target> with a hash of its inputs, and reused while they are unchanged: trimming and
# ReadyToRun take minutes, and `npm test` packages on every run.
publish() {
  local rid out stamp inputs
  rid=$(rid_of "$1")
  out="dist/publish/$1"
  stamp="$out.inputs"
  inputs=$( (find server catalog templates prompts -type f -not -path '*/bin/*' -not -path '*/obj/*' -print0 | sort -z \
    | xargs -0 sha256sum; sha256sum Directory.Build.props Directory.Packages.props; declare -f publish) | sha256sum | cut -d' ' -f1)
  if [ ! -d "$out" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$inputs" ]; then
    rm -rf "$out" "$stamp"
    local common=(server/Plue.Server.csproj -c Release -o "$out" -nologo -v quiet -p:DebugType=none)
    if [ -z "$rid" ]; then
      dotnet publish "${common[@]}" -p:UseAppHost=false
      # SQLite comes for 30 runtimes (Android, iOS, s390x, …): keep those VS Code runs on, 10 MB instead of 30.
      find "$out/runtimes" -mindepth 1 -maxdepth 1 -type d | grep -Ev '/(win|(linux|linux-musl|osx|win)-(x64|arm64)|linux-arm)$' | xargs rm -rf
    else
      # Composite: the framework is compiled with the sidecar, so its generics over the sidecar's types (async
      # builders, collections, System.Text.Json metadata) are precompiled too, not JIT-compiled on each cold start.
      dotnet publish "${common[@]}" -r "$rid" --self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -p:PublishTrimmed=true
      # The runtime's crash-dump helper is of no use to users and weighs 1 MB.
      rm -f "$out/createdump" "$out/createdump.exe"
    fi
    echo "$inputs" > "$stamp"
  fi
  rm -rf dist/sidecar
  cp -a "$out" dist/sidecar
}

# vsix TARGET OUT: the bundle (vscode:prepublish) and the published sidecar into OUT.
vsix() {
  local target_args=()
  [ "$1" != universal ] && target_args=(--target "$1")
  mkdir -p artifacts
  npx --no-install vsce package --no-dependencies "${target_args[@]}" --readme-path MARKETPLACE.md --out "$2"
}

if [ "$#" -eq 0 ]; then
  target="${PLUE_TARGET:-$(host_target)}"
  # The universal VSIX too (the E2Es try it where no .NET is installed), first: dist/sidecar ends as this
  # platform's, which a development host (F5, the integration suite) runs.
  if [ "$target" != universal ]; then
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
