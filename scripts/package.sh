#!/usr/bin/env bash
# Builds artifacts/plue-vscode.vsix for this machine's platform: the sidecar
# (framework-dependent, run with `dotnet plue.dll`) compiled ReadyToRun, which
# shortens its cold start (scripts/bench.sh prints it beside its floor), plus the minified extension bundle. ReadyToRun code and
# SQLite's native library are per platform, so the VSIX is a platform-specific
# one (vsce --target); PLUE_RID builds for another platform.
set -euo pipefail
cd "$(dirname "$0")/.."

rid="${PLUE_RID:-$(dotnet --info | awk -F': *' '/^ *RID:/ {print $2; exit}')}"
case "$rid" in
  linux-x64|linux-arm64|linux-arm) target="$rid" ;;
  linux-musl-x64) target=alpine-x64 ;;
  linux-musl-arm64) target=alpine-arm64 ;;
  osx-x64) target=darwin-x64 ;;
  osx-arm64) target=darwin-arm64 ;;
  win-x64) target=win32-x64 ;;
  win-arm64) target=win32-arm64 ;;
  *) echo "package: no VS Code target for runtime '$rid'" >&2; exit 1 ;;
esac

rm -rf dist/sidecar
dotnet publish server/Plue.Server.csproj -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
  -p:UseAppHost=false -p:DebugType=none -o dist/sidecar -nologo -v quiet
mkdir -p artifacts
# vsce runs the vscode:prepublish script (the minified bundle) itself.
npx --no-install vsce package --no-dependencies --target "$target" --out artifacts/plue-vscode.vsix
