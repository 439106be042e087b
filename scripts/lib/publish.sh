# The sidecar's publishes, shared by scripts/package.sh (the VSIXs) and scripts/bench.sh (which measures what users get).
# Source it from the repository root.

# The .NET runtime identifier for a VS Code target (every target vsce knows but web; the release builds each).
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
    *) echo "package: unknown VS Code target '$1' (one of linux-x64, linux-arm64, linux-armhf, alpine-x64, alpine-arm64, win32-x64, win32-arm64, darwin-x64, darwin-arm64, universal)" >&2; return 1 ;;
  esac
}

host_target() {
  local arch
  case "$(uname -s)" in
    Linux)
      arch=$(uname -m)
      # Alpine (musl) is a target of its own: its sidecar is built in an Alpine container (release.yml).
      if [ -e /etc/alpine-release ]; then
        case "$arch" in x86_64) echo alpine-x64 ;; aarch64) echo alpine-arm64 ;; *) echo universal ;; esac
      else
        case "$arch" in x86_64) echo linux-x64 ;; aarch64) echo linux-arm64 ;; *) echo universal ;; esac
      fi ;;
    Darwin)
      case "$(uname -m)" in x86_64) echo darwin-x64 ;; arm64) echo darwin-arm64 ;; *) echo universal ;; esac ;;
    MINGW*|MSYS*|CYGWIN*)
      # Git Bash is an x64 program even on Windows on Arm, where Windows tells the real CPU in PROCESSOR_ARCHITEW6432.
      case "${PROCESSOR_ARCHITEW6432:-${PROCESSOR_ARCHITECTURE:-}}" in AMD64) echo win32-x64 ;; ARM64) echo win32-arm64 ;; *) echo universal ;; esac ;;
    *) echo universal ;;
  esac
}

# How a platform VSIX's sidecar is published, given its .NET runtime identifier.
# - Native AOT for this machine's own target: one native executable (no runtime, no JIT), which answers `initialize`
#   several times sooner and idles in a fraction of the memory (scripts/bench.sh prints both beside their floors).
#   Native AOT compiles for the system it runs on (another CPU needs a cross toolchain, a sysroot on Linux, not set up
#   here), so .github/workflows/release.yml builds each target on a runner of its own system and CPU, and Alpine's in
#   an Alpine container; PLUE_AOT_RIDS names RIDs published that way elsewhere (the Alpine container's publish, which
#   the runner then packages).
# - Composite ReadyToRun for the others (32-bit ARM Linux, which has no runner; every other target in a
#   `package:all` here): self-contained (the .NET runtime included, nothing to install), the framework compiled with
#   the program (its generics over the sidecar's types, such as async builders, collections and System.Text.Json
#   metadata, are precompiled too, not JIT-compiled on each cold start), and trimmed (half the size).
platform_publish_args() {
  if native_aot "$1"; then aot_publish_args "$1"; else r2r_publish_args "$1"; fi
}

aot_publish_args() {
  echo -r "$1" -p:PublishAot=true
}

r2r_publish_args() {
  echo -r "$1" --self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -p:PublishTrimmed=true
}

# native_aot RID: whether a platform publish for RID is Native AOT (this machine's own RID, or one in PLUE_AOT_RIDS).
native_aot() {
  [ -n "$1" ] || return 1
  [ "$1" = "$(rid_of "$(host_target)" 2>/dev/null)" ] && return 0
  [[ " ${PLUE_AOT_RIDS:-} " == *" $1 "* ]]
}

# sidecar_program TARGET: what runs the published sidecar for TARGET, in dist/publish/TARGET: the executable of a
# platform publish, plue.dll (started with dotnet) for the universal one.
sidecar_program() {
  if [ "$1" = universal ]; then echo "dist/publish/universal/plue.dll"
  else echo "dist/publish/$1/plue$([[ $1 == win32-* ]] && echo .exe)"; fi
}

# cached_publish OUT "SOURCES…" PROJECT [publish arguments…]: publishes PROJECT into OUT, kept with a hash of its
# sources (folders and files) and arguments in OUT.inputs and reused while they are unchanged: Native AOT, trimming and
# composite ReadyToRun take minutes, and `npm test` packages (and benches) on every run.
cached_publish() {
  local out=$1 sources=$2 project=$3 inputs
  shift 3
  # shellcheck disable=SC2086 # SOURCES is a list of paths
  inputs=$( (find $sources -type f -not -path '*/bin/*' -not -path '*/obj/*' -print0 | sort -z | xargs -0 sha256sum
    sha256sum Directory.Build.props Directory.Packages.props; echo "$project $*") | sha256sum | cut -d' ' -f1)
  if [ -d "$out" ] && [ "$(cat "$out.inputs" 2>/dev/null)" = "$inputs" ]; then return 0; fi
  rm -rf "$out" "$out.inputs"
  dotnet publish "$project" -c Release -o "$out" -nologo -v quiet -p:DebugType=none "$@"
  # The runtime's crash-dump helper is of no use to users and weighs 1 MB.
  rm -f "$out/createdump" "$out/createdump.exe"
  echo "$inputs" > "$out.inputs"
}

# prune_runtimes DIR: SQLite comes for 30 runtimes (Android, iOS, s390x, …): keeps those VS Code runs on, 10 MB
# instead of 30. A cached publish has none left to remove, which is no failure.
prune_runtimes() {
  find "$1" -mindepth 1 -maxdepth 1 -type d | { grep -Ev '/(win|(linux|linux-musl|osx|win)-(x64|arm64)|linux-arm)$' || true; } | xargs -r rm -rf
}

# prune_diagnostics DIR: a self-contained publish brings the runtime's debugger and dump support (the DAC, twice on
# Windows, the debugger's own library and its PDB reader), its LTTng trace provider (loaded only where liblttng-ust is
# installed, which it needs) and two spare garbage collectors loaded only when a setting names them: none of it runs
# in a user's sidecar, and it weighs 3 MB of a compressed VSIX. Like prune_runtimes, it runs on a cached publish too,
# where there is nothing left to remove.
prune_diagnostics() {
  find "$1" -maxdepth 1 -type f \( -name 'mscordaccore*' -o -name 'libmscordaccore.*' -o -name 'mscordbi.dll' \
    -o -name 'libmscordbi.*' -o -name 'Microsoft.DiaSymReader.Native.*' -o -name 'clrgc*.dll' -o -name 'libclrgc*' \
    -o -name 'libcoreclrtraceptprovider.*' \) -delete
  # A Native AOT publish's separate debug symbols, where the toolchain writes them (plue.dSYM on macOS, plue.dbg):
  # users' sidecars do not need them.
  find "$1" -maxdepth 1 \( -name '*.dSYM' -o -name '*.dbg' -o -name '*.pdb' \) -exec rm -rf {} +
}

# publish_sidecar TARGET: the sidecar for a VS Code TARGET into dist/publish/TARGET (cached).
publish_sidecar() {
  local rid out="dist/publish/$1"
  rid=$(rid_of "$1")
  if [ -z "$rid" ]; then
    cached_publish "$out" "server catalog templates prompts" server/Plue.Server.csproj -p:UseAppHost=false
    prune_runtimes "$out/runtimes"
  else
    # shellcheck disable=SC2046 # the arguments are words
    cached_publish "$out" "server catalog templates prompts" server/Plue.Server.csproj $(platform_publish_args "$rid")
    prune_diagnostics "$out"
  fi
}

# sign_sidecar TARGET: signs the executables of dist/publish/TARGET with the project's certificates when the release's
# signing secrets are set (.github/workflows/release.yml passes them; docs/RELEASING.md lists them): on macOS with the
# Developer ID, hardened runtime and a secure timestamp, then notarized by Apple; on Windows Authenticode with a
# timestamp. Without them it says so in one line and leaves the publish as it is (macOS: the linker's ad-hoc
# signature, which Apple silicon needs; Windows: unsigned). The secrets reach the tools in files and environment
# variables, never in a command line.
sign_sidecar() {
  local target=$1 dir="dist/publish/$1" work files=()
  case "$target" in
    darwin-*)
      if [ -z "${APPLE_CERTIFICATE_P12:-}" ] || [ -z "${APPLE_NOTARY_KEY:-}" ]; then
        echo "sign: $target is not signed with a Developer ID nor notarized: APPLE_CERTIFICATE_P12 and APPLE_NOTARY_KEY are not set (its ad-hoc signature stays)"
        return 0
      fi
      mapfile -t files < <(find "$dir" -maxdepth 1 -type f \( -name plue -o -name '*.dylib' \) | sort)
      work=$(mktemp -d)
      # A keychain of its own for the certificate; its password is random, and the certificate's is read from a file.
      local keychain="$work/signing.keychain-db" keychain_password
      keychain_password=$(openssl rand -hex 16)
      printf '%s' "$APPLE_CERTIFICATE_P12" | base64 --decode > "$work/certificate.p12"
      security create-keychain -p "$keychain_password" "$keychain"
      security unlock-keychain -p "$keychain_password" "$keychain"
      security import "$work/certificate.p12" -k "$keychain" -f pkcs12 -T /usr/bin/codesign -P "${APPLE_CERTIFICATE_PASSWORD:-}"
      security set-key-partition-list -S apple-tool:,apple: -k "$keychain_password" "$keychain" >/dev/null
      codesign --force --timestamp --options runtime --keychain "$keychain" --sign "${APPLE_SIGNING_IDENTITY:-Developer ID Application}" "${files[@]}"
      # Apple notarizes an archive of the signed files; Gatekeeper finds the ticket online (a bare executable cannot
      # carry it stapled).
      printf '%s' "$APPLE_NOTARY_KEY" | base64 --decode > "$work/notary.p8"
      (cd "$dir" && zip -q "$work/notarize.zip" "${files[@]##*/}")
      xcrun notarytool submit "$work/notarize.zip" --key "$work/notary.p8" --key-id "${APPLE_NOTARY_KEY_ID:-}" --issuer "${APPLE_NOTARY_ISSUER:-}" --wait
      security delete-keychain "$keychain"
      rm -rf "$work"
      echo "sign: $target signed with the Developer ID and notarized: ${files[*]##*/}" ;;
    win32-*)
      if [ -z "${WINDOWS_CERTIFICATE_PFX:-}" ]; then
        echo "sign: $target is not Authenticode-signed: WINDOWS_CERTIFICATE_PFX is not set"
        return 0
      fi
      mapfile -t files < <(find "$dir" -maxdepth 1 -type f \( -name '*.exe' -o -name '*.dll' \) | sort)
      work=$(mktemp -d)
      printf '%s' "$WINDOWS_CERTIFICATE_PFX" | base64 --decode > "$work/certificate.pfx"
      # The certificate goes into the user's store (its password read from the environment by PowerShell), and
      # signtool picks it there by its thumbprint: the password never reaches a command line.
      local thumbprint
      thumbprint=$(CERTIFICATE="$(cygpath -w "$work/certificate.pfx" 2>/dev/null || echo "$work/certificate.pfx")" powershell -NoProfile -Command \
        '(Import-PfxCertificate -FilePath $env:CERTIFICATE -CertStoreLocation Cert:\CurrentUser\My -Password (ConvertTo-SecureString $env:WINDOWS_CERTIFICATE_PASSWORD -AsPlainText -Force)).Thumbprint' | tr -d '\r')
      "$(signtool_path)" sign /sha1 "$thumbprint" /fd SHA256 /tr "${WINDOWS_TIMESTAMP_URL:-http://timestamp.digicert.com}" /td SHA256 "${files[@]}"
      rm -rf "$work"
      echo "sign: $target Authenticode-signed: ${files[*]##*/}" ;;
  esac
}

# signtool_path: the newest Windows SDK's signtool for this machine's CPU (GitHub's Windows images have the SDK).
signtool_path() {
  if command -v signtool >/dev/null; then command -v signtool; return; fi
  local arch=x64
  [ "${PROCESSOR_ARCHITEW6432:-${PROCESSOR_ARCHITECTURE:-}}" = ARM64 ] && arch=arm64
  find "/c/Program Files (x86)/Windows Kits/10/bin" -path "*/$arch/signtool.exe" 2>/dev/null | sort -V | tail -n 1
}
