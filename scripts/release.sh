#!/usr/bin/env bash
# A release's last steps, on the files its jobs built (.github/workflows/release.yml runs them; CONTRIBUTING.md says
# how to run its dry run, and a contributor can run them on artifacts/ after `npm run package:all`):
#
#   bash scripts/release.sh validate DIR   checks every VSIX in DIR (tests/packaging/vsix.test.mjs: each target's
#                                          sidecar, SQLite and size; its name matches its manifest's target; the
#                                          licence is in it), writes DIR/SHA256SUMS, and checks each gallery's token
#                                          that is set can publish to the namespace; publishes nothing
#   bash scripts/release.sh archive TARGET DIR  DIR/plue-acp-TARGET.tar.gz (.zip for Windows): the standalone sidecar
#                                          package.sh published for TARGET, which the ACP registry entry names
#                                          (acp/plue/agent.json)
#   bash scripts/release.sh publish DIR    every VSIX in DIR to the Visual Studio Marketplace (token: VSCE_PAT) and
#                                          the same files to Open VSX (token: OVSX_PAT)
#
# A gallery whose token is absent is skipped with a message saying so: the other still publishes. vsce and ovsx read
# their token from the environment, so it never appears in a command line.
set -euo pipefail
cd "$(dirname "$0")/.."

# The namespace on both galleries is the manifest's publisher.
namespace=$(node -p 'require("./package.json").publisher')
version=$(node -p 'require("./package.json").version')

# warn MESSAGE: a line GitHub Actions shows as a warning on the run's page (plain text elsewhere).
warn() {
  if [ -n "${GITHUB_ACTIONS:-}" ]; then echo "::warning::$1"; else echo "release: $1"; fi
}

# token_set VAR GALLERY WHERE: whether VAR holds a token; says what is skipped and how to set it when not.
token_set() {
  [ -n "${!1:-}" ] && return 0
  warn "$1 is not set: $2 is skipped. Add it under the repository's Settings > Secrets and variables > Actions ($3)."
  return 1
}

vsixes() {
  local found=("$1"/plue-vscode-*.vsix)
  if [ ! -e "${found[0]}" ]; then
    echo "release: no plue-vscode-<target>.vsix in $1: build them first (npm run package:all, or the release workflow's jobs)" >&2
    return 1
  fi
  printf '%s\n' "${found[@]}"
}

validate() {
  local dir=$1 list file name target
  list=$(vsixes "$dir")
  mapfile -t files <<< "$list"
  # A tag names the version it publishes: the VSIXs must carry that version.
  if [ "${GITHUB_REF_TYPE:-}" = tag ] && [ "${GITHUB_REF_NAME:-}" != "v$version" ]; then
    echo "release: the tag ${GITHUB_REF_NAME} does not match package.json's version $version: tag v$version, or set the version" >&2
    return 1
  fi
  for file in "${files[@]}"; do
    name=$(basename "$file" .vsix); name=${name#plue-vscode-}
    target=$(unzip -p "$file" extension.vsixmanifest | sed -n 's/.*TargetPlatform="\([^"]*\)".*/\1/p')
    if [ "${target:-universal}" != "$name" ]; then
      echo "release: $file is for '${target:-universal}', but its name says '$name': the galleries would list it under the wrong platform" >&2
      return 1
    fi
    # Open VSX refuses an extension without its licence file.
    if ! unzip -Z1 "$file" | grep -qx 'extension/LICENSE.txt'; then
      echo "release: $file has no LICENSE: Open VSX would refuse it (.vscodeignore must keep LICENSE)" >&2
      return 1
    fi
  done
  # Native AOT: the Linux targets the workflow builds on a runner of their own CPU; the others are composite ReadyToRun.
  PLUE_ARTIFACTS="$dir" PLUE_AOT_TARGETS="linux-x64 linux-arm64" node --test tests/packaging/vsix.test.mjs
  # The workflow's release has every target's archive; a contributor's artifacts/ may have none.
  if [ -n "${GITHUB_ACTIONS:-}" ]; then registry_archives "$dir"; fi
  checksums "$dir"
  if token_set VSCE_PAT "the Marketplace check" "a Visual Studio Marketplace personal access token for '$namespace'"; then
    npx --no-install vsce verify-pat "$namespace"
  fi
  if token_set OVSX_PAT "the Open VSX check" "an Open VSX access token of a member of the namespace '$namespace'"; then
    npx --no-install ovsx verify-pat "$namespace"
  fi
  echo "release: ${#files[@]} VSIXs of $namespace $version are ready to publish; nothing was published"
}

# checksums DIR: DIR/SHA256SUMS, the SHA-256 of every file the release attaches (check: sha256sum -c SHA256SUMS).
checksums() {
  (cd "$1" && find . -maxdepth 1 -type f ! -name SHA256SUMS -printf '%f\n' | LC_ALL=C sort | xargs -r sha256sum > SHA256SUMS)
  echo "release: $1/SHA256SUMS lists $(wc -l < "$1/SHA256SUMS") files"
}

# archive TARGET DIR: the sidecar scripts/package.sh published for TARGET (dist/publish/TARGET: the `plue` executable,
# its SQLite library, the catalog, templates and prompts, the runtime where it is not Native AOT; nothing of the
# extension), packed so that `./plue acp` runs where it is extracted, as the ACP registry's binary distribution does.
archive() {
  local target=$1 out from="dist/publish/$1"
  [ -d "$from" ] || { echo "release: $from is not published: run bash scripts/package.sh $target first" >&2; return 1; }
  mkdir -p "$2"
  out="$(cd "$2" && pwd)/plue-acp-$target"
  if [[ $target == win32-* ]]; then
    rm -f "$out.zip"
    # Windows runners have 7-Zip, not zip.
    if command -v zip >/dev/null; then (cd "$from" && zip -qr "$out.zip" .); else (cd "$from" && 7z a -tzip -bd "$out.zip" . >/dev/null); fi
    echo "release: $out.zip"
  else
    tar czf "$out.tar.gz" -C "$from" .
    echo "release: $out.tar.gz"
  fi
}

# registry_archives DIR: whether DIR holds every archive acp/plue/agent.json names, at this version.
registry_archives() {
  local url missing=0
  for url in $(node -p 'Object.values(require("./acp/plue/agent.json").distribution.binary).map(b => b.archive).join("\n")'); do
    if [[ $url != */v$version/* ]]; then
      echo "release: acp/plue/agent.json names $url, not version $version: update its version and archives" >&2; missing=1
    elif [ ! -f "$1/${url##*/}" ]; then
      echo "release: acp/plue/agent.json names ${url##*/}, which the release does not have: build it (release.sh archive)" >&2; missing=1
    fi
  done
  return $missing
}

publish() {
  local dir=$1 list
  list=$(vsixes "$dir")
  mapfile -t files <<< "$list"
  if token_set VSCE_PAT "publishing to the Visual Studio Marketplace" "a Marketplace personal access token for '$namespace'"; then
    npx --no-install vsce publish --skip-duplicate --packagePath "${files[@]}"
  fi
  if token_set OVSX_PAT "publishing to Open VSX" "an Open VSX access token of a member of the namespace '$namespace'"; then
    # The namespace exists once; creating it again is refused, which is no failure.
    npx --no-install ovsx create-namespace "$namespace" 2>/dev/null || echo "release: the Open VSX namespace '$namespace' exists"
    npx --no-install ovsx publish --skip-duplicate --packagePath "${files[@]}"
  fi
}

case "${1:-}" in
  validate|publish|checksums) [ -n "${2:-}" ] || { echo "usage: bash scripts/release.sh $1 DIR" >&2; exit 2; }; "$1" "$2" ;;
  archive) [ -n "${3:-}" ] || { echo "usage: bash scripts/release.sh archive TARGET DIR" >&2; exit 2; }; archive "$2" "$3" ;;
  *) echo "usage: bash scripts/release.sh validate|publish DIR, or archive TARGET DIR" >&2; exit 2 ;;
esac
