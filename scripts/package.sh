#!/usr/bin/env bash
# Builds artifacts/plue-vscode.vsix: the framework-dependent sidecar (run with
# `dotnet plue.dll`) in dist/sidecar plus the minified extension bundle.
set -euo pipefail
cd "$(dirname "$0")/.."

rm -rf dist/sidecar
dotnet publish server/Plue.Server.csproj -c Release -o dist/sidecar --self-contained false -p:UseAppHost=false -p:DebugType=none -nologo -v quiet
mkdir -p artifacts
# vsce runs the vscode:prepublish script (the minified bundle) itself.
npx --no-install vsce package --no-dependencies --out artifacts/plue-vscode.vsix
