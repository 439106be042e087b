#!/usr/bin/env bash
# A release's last steps, on the files its jobs built (.github/workflows/release.yml runs them; docs/RELEASING.md says
# how to run its dry run, and a contributor can run them on artifacts/ after `npm run package:all`):
#
#   bash scripts/release.sh validate DIR   checks DIR holds only release files (the VSIXs, the ACP archives and what
#                                          this script writes: no test logs, no folders), every VSIX (its name matches
#                                          its manifest's target, its licence, its pre-release mark, and
#                                          tests/packaging/vsix.test.mjs: each target's sidecar, its kind, SQLite and
#                                          size), that the version is not already a stable release on the Marketplace,
#                                          writes DIR/agent.json (the ACP registry's entry with each archive's sha256)
#                                          and DIR/SHA256SUMS, and checks each gallery's token that is set can publish
#                                          to the namespace; publishes nothing
#   bash scripts/release.sh archive TARGET DIR  DIR/plue-acp-TARGET.tar.gz (.zip for Windows): the standalone sidecar
#                                          package.sh published for TARGET, which the ACP registry entry names
#   bash scripts/release.sh agent DIR      DIR/agent.json: acp/plue/agent.json with the sha256 of each archive in DIR
#   bash scripts/release.sh checksums DIR  DIR/SHA256SUMS: the VSIXs and the ACP archives
#   bash scripts/release.sh attach DIR     the files to the GitHub release of the version (created on a tag; on a
#                                          re-publish, the named targets' files replaced and SHA256SUMS updated)
#   bash scripts/release.sh publish DIR    every VSIX in DIR to the Visual Studio Marketplace (token: VSCE_PAT) and
#                                          the same files to Open VSX (token: OVSX_PAT)
#
# Set by the workflow (and by hand the same way):
#   PLUE_PRE_RELEASE=true     a pre-release: the VSIXs must be packaged as one (package.sh does so under the same
#                             variable), and both galleries publish them on their pre-release channel
#   PLUE_RELEASE_TARGETS="…"  a re-publish of these targets only (e.g. "darwin-x64 win32-arm64"): their VSIXs alone
#                             are published and attached, at a version that may be out already
#
# A gallery whose token is absent is skipped with a message saying so: the other still publishes. vsce and ovsx read
# their token from the environment, so it never appears in a command line. PLUE_VSCE, PLUE_OVSX and PLUE_GH name the
# galleries' and GitHub's command-line tools (node_modules' and gh by default; the tests put stand-ins there).
set -euo pipefail
cd "$(dirname "$0")/.."

# The namespace on both galleries is the manifest's publisher.
namespace=$(node -p 'require("./package.json").publisher')
name=$(node -p 'require("./package.json").name')
version=$(node -p 'require("./package.json").version')
pre_release=${PLUE_PRE_RELEASE:-false}
read -r -a only_targets <<< "${PLUE_RELEASE_TARGETS:-}"

vsce() { "${PLUE_VSCE:-node_modules/.bin/vsce}" "$@"; }
ovsx() { "${PLUE_OVSX:-node_modules/.bin/ovsx}" "$@"; }
gh() { "${PLUE_GH:-gh}" "$@"; }

# warn MESSAGE: a line GitHub Actions shows as a warning on the run's page (plain text elsewhere).
warn() {
  if [ -n "${GITHUB_ACTIONS:-}" ]; then echo "::warning::$1"; else echo "release: $1"; fi
}

fail() { echo "release: $1" >&2; return 1; }

# token_set VAR GALLERY WHERE: whether VAR holds a token; says what is skipped and how to set it when not.
token_set() {
  [ -n "${!1:-}" ] && return 0
  warn "$1 is not set: $2 is skipped. Add it under the repository's Settings > Secrets and variables > Actions ($3)."
  return 1
}

# vsixes DIR: the VSIXs in DIR, or those of the named targets (PLUE_RELEASE_TARGETS), each of which must be there.
vsixes() {
  local found=("$1"/plue-vscode-*.vsix) target
  if [ ! -e "${found[0]}" ]; then
    echo "release: no plue-vscode-<target>.vsix in $1: build them first (npm run package:all, or the release workflow's jobs)" >&2
    return 1
  fi
  if [ "${#only_targets[@]}" -eq 0 ]; then printf '%s\n' "${found[@]}"; return; fi
  for target in "${only_targets[@]}"; do
    [ -f "$1/plue-vscode-$target.vsix" ] || fail "no plue-vscode-$target.vsix in $1 to re-publish: its build job must pass first" || return 1
    echo "$1/plue-vscode-$target.vsix"
  done
}

# release_files DIR: refuses anything in DIR that is not a release file, before any of it is checked or published:
# test logs, coverage or a folder would otherwise be checksummed and attached to the release.
release_files() {
  local entry stray=()
  for entry in "$1"/* "$1"/.[!.]*; do
    [ -e "$entry" ] || continue
    case "${entry##*/}" in
      plue-vscode-*.vsix|plue-acp-*.tar.gz|plue-acp-*.zip|SHA256SUMS|agent.json) [ -f "$entry" ] || stray+=("${entry##*/}/") ;;
      *) if [ -d "$entry" ]; then stray+=("${entry##*/}/"); else stray+=("${entry##*/}"); fi ;;
    esac
  done
  [ "${#stray[@]}" -eq 0 ] && return 0
  fail "$1 holds ${stray[*]}, which a release does not publish: it must hold only the VSIXs (plue-vscode-<target>.vsix) and the ACP archives (plue-acp-<target>.tar.gz or .zip); download only those artifacts (download-artifact's name or pattern)"
}

# The VS Code targets the release builds (scripts/lib/publish.sh's rid_of knows each), and those whose sidecar is
# Native AOT there: every one built on a runner (or in a container) of its own system and CPU; 32-bit ARM Linux, which
# has no runner, is composite ReadyToRun.
release_targets=(linux-x64 linux-arm64 linux-armhf alpine-x64 alpine-arm64 win32-x64 win32-arm64 darwin-x64 darwin-arm64 universal)
aot_targets="linux-x64 linux-arm64 alpine-x64 alpine-arm64 win32-x64 win32-arm64 darwin-x64 darwin-arm64"

validate() {
  local dir=$1 list file vsix_name target archives=()
  release_files "$dir"
  # A tag names the version it publishes: v<version>, or v<version>-pre<anything> for a pre-release (the galleries take
  # only major.minor.patch versions, so the pre-release mark is in the tag and the VSIX, not in the version).
  if [ "${GITHUB_REF_TYPE:-}" = tag ]; then
    case "${GITHUB_REF_NAME:-}" in
      "v$version") ;;
      "v$version"-pre*) [ "$pre_release" = true ] || fail "the tag ${GITHUB_REF_NAME} is a pre-release, but PLUE_PRE_RELEASE is not true: the workflow sets it for tags v*-pre*" || return 1 ;;
      *) fail "the tag ${GITHUB_REF_NAME} does not match package.json's version $version: tag v$version (or v$version-pre1 for a pre-release), or set the version"; return 1 ;;
    esac
  fi
  for target in "${only_targets[@]}"; do
    [[ " ${release_targets[*]} " == *" $target "* ]] || fail "'$target' is not a target the release builds (one of ${release_targets[*]})" || return 1
  done
  list=$(vsixes "$dir")
  mapfile -t files <<< "$list"
  for file in "${files[@]}"; do
    vsix_name=$(basename "$file" .vsix); vsix_name=${vsix_name#plue-vscode-}
    target=$(unzip -p "$file" extension.vsixmanifest | sed -n 's/.*TargetPlatform="\([^"]*\)".*/\1/p')
    if [ "${target:-universal}" != "$vsix_name" ]; then
      fail "$file is for '${target:-universal}', but its name says '$vsix_name': the galleries would list it under the wrong platform"; return 1
    fi
    # Open VSX refuses an extension without its licence file.
    if ! unzip -Z1 "$file" | grep -qx 'extension/LICENSE.txt'; then
      fail "$file has no LICENSE: Open VSX would refuse it (.vscodeignore must keep LICENSE)"; return 1
    fi
    # The galleries publish on the pre-release channel only a VSIX packaged as a pre-release, and a stable release
    # must not be one.
    if unzip -p "$file" extension.vsixmanifest | grep -q 'Microsoft.VisualStudio.Code.PreRelease'; then
      [ "$pre_release" = true ] || fail "$file is packaged as a pre-release, but this is a stable release: package it without PLUE_PRE_RELEASE" || return 1
    elif [ "$pre_release" = true ]; then
      fail "$file is not packaged as a pre-release: package it with PLUE_PRE_RELEASE=true"; return 1
    fi
  done
  # Each VSIX's contents: its sidecar, of the kind each target is built as on the release's runners (Native AOT on
  # all but linux-armhf); a contributor's artifacts/ are checked against this machine's rule instead. The release
  # script's own tests, whose stand-in VSIXs hold no sidecar, turn this off with PLUE_RELEASE_CONTENTS=skip.
  if [ "${PLUE_RELEASE_CONTENTS:-}" = skip ]; then
    echo "release: the VSIXs' contents are not checked (PLUE_RELEASE_CONTENTS=skip)"
  elif [ -n "${GITHUB_ACTIONS:-}" ]; then
    PLUE_ARTIFACTS="$dir" PLUE_AOT_TARGETS="$aot_targets" node --test tests/packaging/vsix.test.mjs
  else
    PLUE_ARTIFACTS="$dir" node --test tests/packaging/vsix.test.mjs
  fi
  not_published "${files[@]}"
  # The ACP archives: every one agent.json names (the workflow's full release has them; a contributor's artifacts/
  # may have none, and a re-publish of some targets leaves the entry as it was), then the entry with their sha256.
  archives=("$dir"/plue-acp-*)
  if [ "${#only_targets[@]}" -eq 0 ] && { [ -n "${GITHUB_ACTIONS:-}" ] || [ -e "${archives[0]}" ]; }; then
    registry_archives "$dir"
    agent "$dir"
  fi
  checksums "$dir"
  if token_set VSCE_PAT "the Marketplace check" "a Visual Studio Marketplace personal access token for '$namespace'"; then
    vsce verify-pat "$namespace"
  fi
  if token_set OVSX_PAT "the Open VSX check" "an Open VSX access token of a member of the namespace '$namespace'"; then
    ovsx verify-pat "$namespace"
  fi
  echo "release: ${#files[@]} VSIXs of $namespace $version$([ "$pre_release" = true ] && echo ' (pre-release)') are ready to publish; nothing was published"
}

# not_published VSIX…: refuses a version the Marketplace already has on its stable channel (a release would publish
# nothing, or a pre-release would sit below it), asking the Marketplace (vsce show). A re-publish of named targets is
# refused only for a target that version already has. An extension never published is not found, which is no failure;
# a Marketplace that does not answer is.
not_published() {
  local shown rc=0 published
  shown=$(vsce show "$namespace.$name" --json 2>&1) || rc=$?
  if [ "$rc" -ne 0 ]; then
    if grep -qi 'not found' <<< "$shown"; then echo "release: $namespace.$name is not on the Marketplace yet"; return 0; fi
    fail "the Marketplace did not say which versions of $namespace.$name it has (vsce show failed: $(head -n 1 <<< "$shown")): try again later"
    return 1
  fi
  # The targets that have VERSION on the stable channel ("universal" for a VSIX without one).
  published=$(VERSION="$version" node -e '
    const shown = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const stable = (shown.versions ?? []).filter(v => v.version === process.env.VERSION
      && !(v.properties ?? []).some(p => p.key === "Microsoft.VisualStudio.Code.PreRelease" && p.value === "true"));
    console.log(stable.map(v => v.targetPlatform ?? "universal").join(" "));' <<< "$shown")
  [ -z "$published" ] && return 0
  if [ "${#only_targets[@]}" -eq 0 ]; then
    fail "$version is already published as a stable release on the Marketplace: raise package.json's version (and agent.json's) to release again, or re-publish named targets only"
    return 1
  fi
  local target
  for target in "${only_targets[@]}"; do
    [[ " $published " == *" $target "* ]] && { fail "$target is already published at $version on the Marketplace's stable channel: there is nothing to re-publish for it"; return 1; }
  done
  return 0
}

# checksums DIR: DIR/SHA256SUMS, the SHA-256 of every VSIX and ACP archive the release attaches (check: sha256sum -c
# SHA256SUMS).
checksums() {
  (cd "$1" && find . -maxdepth 1 -type f \( -name 'plue-vscode-*.vsix' -o -name 'plue-acp-*.tar.gz' -o -name 'plue-acp-*.zip' \) -printf '%f\n' \
    | LC_ALL=C sort | xargs -r sha256sum > SHA256SUMS)
  echo "release: $1/SHA256SUMS lists $(wc -l < "$1/SHA256SUMS") files"
}

# agent DIR: DIR/agent.json, the ACP registry's entry (acp/plue/agent.json) with the sha256 of each archive it names,
# read from DIR's archives: the registry's clients check the download against it.
agent() {
  DIR="$1" node -e '
    const fs = require("fs"), path = require("path"), crypto = require("crypto");
    const entry = JSON.parse(fs.readFileSync("acp/plue/agent.json", "utf8"));
    for (const binary of Object.values(entry.distribution.binary)) {
      const file = path.join(process.env.DIR, binary.archive.split("/").pop());
      if (!fs.existsSync(file)) { console.error(`release: ${path.basename(file)}, which agent.json names, is not in ${process.env.DIR}: build it (release.sh archive)`); process.exit(1); }
      binary.sha256 = crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
    }
    fs.writeFileSync(path.join(process.env.DIR, "agent.json"), JSON.stringify(entry, null, 2) + "\n");'
  echo "release: $1/agent.json names $(node -p 'Object.keys(require("./acp/plue/agent.json").distribution.binary).length') archives with their sha256"
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

# release_tag: the tag the release is attached to: the pushed tag, else (a manual run) v<version>.
release_tag() {
  if [ "${GITHUB_REF_TYPE:-}" = tag ]; then echo "$GITHUB_REF_NAME"; else echo "v$version"; fi
}

# attach DIR: the release's files on its GitHub release. A release: created with every file (marked a pre-release when
# it is one), agent.json among them for the ACP registry. A re-publish of named targets: their VSIXs and archives
# replace those attached, and SHA256SUMS keeps the other files' lines and takes the new ones.
attach() {
  local dir=$1 tag list target uploads=()
  release_files "$dir"
  tag=$(release_tag)
  if [ "${#only_targets[@]}" -eq 0 ]; then
    list=$(find "$dir" -maxdepth 1 -type f | LC_ALL=C sort)
    mapfile -t uploads <<< "$list"
    local flags=(--generate-notes)
    [ "$pre_release" = true ] && flags+=(--prerelease)
    gh release create "$tag" --repo "${GITHUB_REPOSITORY:?}" "${flags[@]}" "${uploads[@]}"
    return
  fi
  local work sums
  work=$(mktemp -d)
  gh release download "$tag" --repo "${GITHUB_REPOSITORY:?}" --pattern SHA256SUMS --dir "$work"
  for target in "${only_targets[@]}"; do
    for file in "$dir/plue-vscode-$target.vsix" "$dir/plue-acp-$target.tar.gz" "$dir/plue-acp-$target.zip"; do
      [ -f "$file" ] || continue
      uploads+=("$file")
      sums=$(grep -v "  ${file##*/}\$" "$work/SHA256SUMS" || true)
      { [ -n "$sums" ] && echo "$sums"; (cd "$dir" && sha256sum "${file##*/}"); } | LC_ALL=C sort -k2 > "$work/SHA256SUMS.new"
      mv "$work/SHA256SUMS.new" "$work/SHA256SUMS"
    done
  done
  gh release upload "$tag" --repo "$GITHUB_REPOSITORY" --clobber "${uploads[@]}" "$work/SHA256SUMS"
  rm -rf "$work"
}

publish() {
  local dir=$1 list flags=(--skip-duplicate)
  list=$(vsixes "$dir")
  mapfile -t files <<< "$list"
  [ "$pre_release" = true ] && flags+=(--pre-release)
  if token_set VSCE_PAT "publishing to the Visual Studio Marketplace" "a Marketplace personal access token for '$namespace'"; then
    vsce publish "${flags[@]}" --packagePath "${files[@]}"
  fi
  if token_set OVSX_PAT "publishing to Open VSX" "an Open VSX access token of a member of the namespace '$namespace'"; then
    # The namespace exists once; creating it again is refused, which is no failure.
    ovsx create-namespace "$namespace" 2>/dev/null || echo "release: the Open VSX namespace '$namespace' exists"
    ovsx publish "${flags[@]}" --packagePath "${files[@]}"
  fi
  echo "release: published ${files[*]##*/}$([ "$pre_release" = true ] && echo ' as a pre-release')"
}

case "${1:-}" in
  validate|publish|checksums|agent|attach) [ -n "${2:-}" ] || { echo "usage: bash scripts/release.sh $1 DIR" >&2; exit 2; }; "$1" "$2" ;;
  archive) [ -n "${3:-}" ] || { echo "usage: bash scripts/release.sh archive TARGET DIR" >&2; exit 2; }; archive "$2" "$3" ;;
  *) echo "usage: bash scripts/release.sh validate|agent|checksums|attach|publish DIR, or archive TARGET DIR" >&2; exit 2 ;;
esac
