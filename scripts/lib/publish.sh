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
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) echo linux-x64 ;;
    Linux-aarch64) echo linux-arm64 ;;
    Darwin-x86_64) echo darwin-x64 ;;
    Darwin-arm64) echo darwin-arm64 ;;
    *) echo universal ;;
  esac
}

# How a platform VSIX's sidecar is published, given its .NET runtime identifier.
# - Native AOT for this machine's own Linux target: one native executable (no runtime, no JIT), which answers
#   `initialize` several times sooner and idles in a fraction of the memory (scripts/bench.sh prints both beside their
#   floors). Native AOT compiles only for the OS it runs on, and another CPU needs a cross toolchain (a sysroot) that
#   is not set up here; .github/workflows/release.yml builds each target on its own runner.
# - Composite ReadyToRun for the others: self-contained (the .NET runtime included, nothing to install), the framework
#   compiled with the program (its generics over the sidecar's types, such as async builders, collections and
#   System.Text.Json metadata, are precompiled too, not JIT-compiled on each cold start), and trimmed (half the size).
platform_publish_args() {
  if native_aot "$1"; then aot_publish_args "$1"; else r2r_publish_args "$1"; fi
}

aot_publish_args() {
  echo -r "$1" -p:PublishAot=true
}

r2r_publish_args() {
  echo -r "$1" --self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -p:PublishTrimmed=true
}

# native_aot RID: whether a platform publish for RID is Native AOT (a Linux RID that is this machine's own).
native_aot() {
  case "$1" in
    linux-*) [ "$1" = "$(rid_of "$(host_target)" 2>/dev/null)" ] ;;
    *) return 1 ;;
  esac
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
