// The release workflow and scripts/release.sh: the workflows pass the syntax check (action-validator, a dev
// dependency: the GitHub workflow schema, offline), the release publishes only on a version tag after every target's
// job, and release.sh checks names and licences, writes checksums and skips a gallery whose token is absent.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const workflows = path.join(repo, '.github/workflows');
const validator = path.join(repo, 'node_modules/.bin/action-validator');
const release = yaml.load(fs.readFileSync(path.join(workflows, 'release.yml'), 'utf8'));

/** The VS Code targets a platform VSIX can be built for (vsce --target but web), each of which publish.sh knows. */
const vscodeTargets = ['linux-x64', 'linux-arm64', 'linux-armhf', 'alpine-x64', 'alpine-arm64', 'win32-x64', 'win32-arm64', 'darwin-x64', 'darwin-arm64'];

function validate(file) {
  return spawnSync(validator, [file], { encoding: 'utf8' });
}

const noValidator = fs.existsSync(validator) ? false
  : 'action-validator is not installed: `npm ci` installs it (devDependency @action-validator/cli)';

test('every workflow passes the syntax check', { skip: noValidator }, () => {
  for (const file of fs.readdirSync(workflows).filter(f => /\.ya?ml$/.test(f))) {
    const run = validate(path.join(workflows, file));
    assert.equal(run.status, 0, `${file} fails the workflow syntax check:\n${run.stdout}${run.stderr}`);
  }
});

test('the syntax check fails a broken workflow', { skip: noValidator }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-workflow-'));
  const file = path.join(dir, 'broken.yml');
  fs.writeFileSync(file, 'on: push\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    stepz: []\n');
  const run = validate(file);
  fs.rmSync(dir, { recursive: true, force: true });
  assert.notEqual(run.status, 0, 'action-validator passed a job with no steps');
  assert.match(run.stderr, /stepz/);
});

test('the release publishes on a version tag only, after every target\'s job, with each token from the secrets', () => {
  const job = release.jobs.release;
  assert.deepEqual([...job.needs].sort(), ['build', 'universal'], 'the release must wait for every target\'s job');
  assert.ok('workflow_dispatch' in release.on, 'no manual dry run (workflow_dispatch)');
  assert.deepEqual(release.on.push.tags, ['v*']);
  assert.equal(job.env.VSCE_PAT, '${{ secrets.VSCE_PAT }}');
  assert.equal(job.env.OVSX_PAT, '${{ secrets.OVSX_PAT }}');
  const onTag = "github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v')";
  const publishing = job.steps.filter(s => /release\.sh publish|gh release create/.test(s.run ?? ''));
  assert.equal(publishing.length, 2, 'the release attaches the files and publishes them');
  for (const step of publishing) assert.equal(step.if, onTag, `"${step.name}" must run on a version tag only`);
  const validateStep = job.steps.findIndex(s => /release\.sh validate release/.test(s.run ?? ''));
  assert.ok(validateStep >= 0 && validateStep < job.steps.indexOf(publishing[0]), 'the files are validated (and checksummed) before anything is published');
  assert.match(publishing[0].run, /release\/\*/, 'the release attaches every file, SHA256SUMS included');
});

/** The VS Code target each GitHub-hosted runner of the matrix is. */
const runnerTargets = { 'ubuntu-24.04': 'linux-x64', 'ubuntu-24.04-arm': 'linux-arm64', 'windows-2022': 'win32-x64', 'windows-11-arm': 'win32-arm64', 'macos-14': 'darwin-arm64', 'macos-13': 'darwin-x64' };

test('the release matrix builds every VS Code target, each tested on a runner that can run its sidecar', () => {
  const matrix = release.jobs.build.strategy.matrix.include;
  assert.deepEqual(matrix.map(m => m.target).sort(), [...vscodeTargets].sort());
  for (const { target, runner, suite } of matrix) {
    const rid = spawnSync('bash', ['-c', 'set -euo pipefail; source scripts/lib/publish.sh; rid_of "$1"', 'bash', target], { cwd: repo, encoding: 'utf8' });
    assert.equal(rid.status, 0, `publish.sh does not know ${target}: ${rid.stderr}`);
    const host = runnerTargets[runner];
    assert.ok(host, `${target}: the runner ${runner} is not one this test knows`);
    // Its own system and CPU runs the sidecar natively; Alpine runs in a container on the same CPU; armhf under qemu.
    const runsOn = { full: target, process: target, alpine: target.replace('alpine-', 'linux-'), qemu: 'linux-x64' }[suite];
    assert.equal(host, runsOn, `${target}: the ${suite} suite cannot run its sidecar on ${runner}`);
  }
  // The release validates as Native AOT exactly the Linux targets built on a runner of their own system and CPU.
  const aot = matrix.filter(m => m.target.startsWith('linux-') && runnerTargets[m.runner] === m.target).map(m => m.target);
  assert.match(fs.readFileSync(path.join(repo, 'scripts/release.sh'), 'utf8'), new RegExp(`PLUE_AOT_TARGETS="${aot.join(' ')}"`));
});

/** A stand-in VSIX: the manifest (its target) and a licence, all release.sh reads before the packaging test. */
function fakeVsix(dir, name, target, { licence = true } = {}) {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-vsix-'));
  fs.mkdirSync(path.join(stage, 'extension'));
  fs.writeFileSync(path.join(stage, 'extension.vsixmanifest'), `<PackageManifest><Metadata><Identity Id="plue-vscode" Publisher="plue"${target ? ` TargetPlatform="${target}"` : ''}/></Metadata></PackageManifest>`);
  if (licence) fs.writeFileSync(path.join(stage, 'extension/LICENSE.txt'), 'MIT');
  spawnSync('zip', ['-qr', path.join(dir, name), '.'], { cwd: stage });
  fs.rmSync(stage, { recursive: true, force: true });
}

/** release.sh ACTION DIR with an environment of its own: no tokens, no GitHub Actions variables unless given. */
function releaseSh(action, dir, env = {}) {
  const base = { PATH: process.env.PATH, HOME: process.env.HOME };
  return spawnSync('bash', ['scripts/release.sh', action, dir], { cwd: repo, encoding: 'utf8', env: { ...base, ...env } });
}

const noZip = spawnSync('zip', ['-v']).status === 0 ? false : 'zip is not installed (it makes the stand-in VSIXs)';

function withDir(fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-release-'));
  try { fn(dir); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
}

test('validate refuses a VSIX whose name says another platform than its manifest, saying which', { skip: noZip }, () => withDir(dir => {
  fakeVsix(dir, 'plue-vscode-win32-x64.vsix', 'linux-x64');
  const run = releaseSh('validate', dir);
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /is for 'linux-x64', but its name says 'win32-x64'/);
  assert.ok(!fs.existsSync(path.join(dir, 'SHA256SUMS')), 'checksums written for files that failed validation');
}));

test('validate refuses a VSIX without its licence (Open VSX would)', { skip: noZip }, () => withDir(dir => {
  fakeVsix(dir, 'plue-vscode-universal.vsix', null, { licence: false });
  const run = releaseSh('validate', dir);
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /has no LICENSE: Open VSX would refuse it/);
}));

test('validate refuses a tag that is not package.json\'s version', { skip: noZip }, () => withDir(dir => {
  fakeVsix(dir, 'plue-vscode-universal.vsix', null);
  const run = releaseSh('validate', dir, { GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: 'v0.0.0-not-this' });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /the tag v0\.0\.0-not-this does not match package\.json's version/);
}));

test('the checksums list every file the release attaches and verify with sha256sum -c', { skip: noZip }, () => withDir(dir => {
  fakeVsix(dir, 'plue-vscode-linux-x64.vsix', 'linux-x64');
  fs.writeFileSync(path.join(dir, 'plue-acp-linux-x64.tar.gz'), 'archive');
  const run = releaseSh('checksums', dir);
  assert.equal(run.status, 0, run.stderr);
  const sums = fs.readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8');
  assert.deepEqual(sums.trim().split('\n').map(l => l.split(/\s+/)[1]), ['plue-acp-linux-x64.tar.gz', 'plue-vscode-linux-x64.vsix']);
  const check = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  fs.appendFileSync(path.join(dir, 'plue-acp-linux-x64.tar.gz'), 'tampered');
  assert.notEqual(spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir }).status, 0);
}));

test('publish without tokens skips both galleries, saying which secret to add, and succeeds', { skip: noZip }, () => withDir(dir => {
  fakeVsix(dir, 'plue-vscode-universal.vsix', null);
  const run = releaseSh('publish', dir, { GITHUB_ACTIONS: 'true' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /::warning::VSCE_PAT is not set: publishing to the Visual Studio Marketplace is skipped\. Add it under the repository's Settings/);
  assert.match(run.stdout, /::warning::OVSX_PAT is not set: publishing to Open VSX is skipped\./);
}));

test('publish with no VSIX fails saying how to build them', () => withDir(dir => {
  const run = releaseSh('publish', dir);
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /no plue-vscode-<target>\.vsix in .*: build them first/);
}));
