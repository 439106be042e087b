// Plue's ACP registry entry (acp/plue/agent.json): valid against the registry's schema (acp/agent.schema.json, kept
// with its source in acp/README.md), at package.json's version, naming the archive the release builds for every
// os-arch the registry knows; and that archive (scripts/release.sh archive) is a standalone `plue` that answers
// `initialize` over ACP with nothing of the extension beside it.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import yaml from 'js-yaml';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file) => fs.readFileSync(path.join(repo, file), 'utf8');
const agent = JSON.parse(read('acp/plue/agent.json'));
const schema = JSON.parse(read('acp/agent.schema.json'));
const pkg = JSON.parse(read('package.json'));
const matrix = yaml.load(read('.github/workflows/release.yml')).jobs.build.strategy.matrix.include.map(m => m.target);

/** The registry's os-arch of each VS Code target it has one for (it has none for musl or 32-bit ARM). */
const registryOsArch = {
  'darwin-arm64': 'darwin-aarch64', 'darwin-x64': 'darwin-x86_64', 'linux-arm64': 'linux-aarch64', 'linux-x64': 'linux-x86_64',
  'win32-arm64': 'windows-aarch64', 'win32-x64': 'windows-x86_64',
};

function schemaErrors(entry) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const check = ajv.compile(schema);
  return check(entry) ? [] : check.errors.map(e => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

test('agent.json is valid against the ACP registry\'s schema', () => {
  assert.deepEqual(schemaErrors(agent), []);
});

test('the schema check fails an entry the registry would refuse', () => {
  const bad = structuredClone(agent);
  bad.distribution.binary['linux-riscv64'] = bad.distribution.binary['linux-x86_64'];
  delete bad.distribution.binary['linux-x86_64'].cmd;
  bad.id = 'Plue';
  const errors = schemaErrors(bad).join('\n');
  assert.match(errors, /\/id must match pattern/);
  assert.match(errors, /must be equal to one of the allowed values/, 'an os-arch the registry does not know');
  assert.match(errors, /must have required property 'cmd'/);
});

test('agent.json is at package.json\'s version and repository', () => {
  assert.equal(agent.version, pkg.version, 'acp/plue/agent.json\'s version must move with package.json\'s');
  assert.equal(`${agent.repository}.git`, pkg.repository.url);
  assert.equal(agent.license, pkg.license);
  assert.equal(agent.id, 'plue', 'the registry wants the id to be its folder\'s name (acp/plue)');
});

/** What the registry's build refuses in an entry's icon.svg (it sets `icon` itself, from that file). */
function iconErrors(svg) {
  const errors = [];
  if (svg.includes('<!--')) errors.push('has a comment');
  const root = /<svg\b([^>]*)>/.exec(svg)?.[1] ?? '';
  const attr = (name) => new RegExp(`\\s${name}="([^"]*)"`).exec(root)?.[1];
  const viewBox = attr('viewBox')?.trim().split(/\s+/).map(Number);
  const width = attr('width') ? parseFloat(attr('width')) : viewBox?.[2];
  const height = attr('height') ? parseFloat(attr('height')) : viewBox?.[3];
  if (width !== 16 || height !== 16) errors.push(`is ${width}x${height}, not 16x16`);
  const paints = [...svg.matchAll(/\b(?:fill|stroke)(?:="([^"]*)"|\s*:\s*([^;"}]+))/g)].map(m => (m[1] ?? m[2]).trim().toLowerCase());
  for (const paint of paints.filter(p => !['currentcolor', 'none', 'inherit'].includes(p))) errors.push(`paints ${paint}, not currentColor`);
  if (!paints.includes('currentcolor')) errors.push('uses no currentColor');
  return errors;
}

test('icon.svg passes the registry\'s icon rules: 16x16, monochrome (currentColor), no comments', () => {
  assert.deepEqual(iconErrors(read('acp/plue/icon.svg')), []);
  assert.deepEqual(iconErrors('<svg width="24" height="24"><!-- x --><path fill="#f00" style="stroke: red"/></svg>'),
    ['has a comment', 'is 24x24, not 16x16', 'paints #f00, not currentColor', 'paints red, not currentColor', 'uses no currentColor']);
});

test('agent.json names the release\'s archive, and ./plue acp in it, for every os-arch the release builds', () => {
  const expected = Object.fromEntries(matrix.filter(t => registryOsArch[t]).map(t => {
    const windows = t.startsWith('win32-');
    return [registryOsArch[t], {
      archive: `${agent.repository}/releases/download/v${pkg.version}/plue-acp-${t}.${windows ? 'zip' : 'tar.gz'}`,
      cmd: windows ? './plue.exe' : './plue',
      args: ['acp'],
    }];
  }));
  assert.deepEqual(agent.distribution.binary, expected);
  const build = yaml.load(read('.github/workflows/release.yml')).jobs.build.steps;
  assert.ok(build.some(s => /release\.sh archive \$\{\{ matrix\.target \}\} artifacts/.test(s.run ?? '')), 'the build job does not archive its sidecar');
  assert.ok(build.some(s => /plue-acp-\$\{\{ matrix\.target \}\}\.\*/.test(s.with?.path ?? '')), 'the build job does not upload its archive');
});

/** This machine's VS Code target, whose sidecar package.sh may have published. */
const host = execFileSync('bash', ['-c', 'source scripts/lib/publish.sh; host_target'], { cwd: repo, encoding: 'utf8' }).trim();
const published = fs.existsSync(path.join(repo, 'dist/publish', host, 'plue')) ? false
  : `dist/publish/${host} is not published: bash scripts/package.sh ${host} publishes it`;

test(`the ${host} archive is a standalone plue that answers initialize over ACP`, { skip: published, timeout: 120_000 }, async (t) => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plue-acp-archive-')));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const made = spawnSync('bash', ['scripts/release.sh', 'archive', host, dir], { cwd: repo, encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const archive = path.join(dir, `plue-acp-${host}.tar.gz`);
  const entries = execFileSync('tar', ['tzf', archive], { encoding: 'utf8' }).split('\n').filter(Boolean).map(e => e.replace(/^\.\//, ''));
  for (const needed of ['plue', 'catalog/openai.json']) assert.ok(entries.includes(needed), `the archive has no ${needed}`);
  assert.ok(entries.some(e => /^(lib)?e_sqlite3\.(so|dylib|dll)$/.test(e)), 'the archive has no SQLite library');
  assert.deepEqual(entries.filter(e => /(^|\/)(out|media|node_modules)\/|package\.json$|\.vsixmanifest$/.test(e)), [], 'the archive carries extension files');

  // Extracted and run as the registry's clients run it: `./plue acp` in the extracted folder, a fresh home.
  const extracted = path.join(dir, 'extracted');
  fs.mkdirSync(extracted);
  execFileSync('tar', ['xzf', archive, '-C', extracted]);
  process.env.PLUE_SIDECAR = path.join(extracted, 'plue');
  const { acpClient, scratch, spawnAcp } = await import('../support/acp.mjs');
  const { home, project } = scratch();
  const running = spawnAcp(t, { home, project });
  const client = acpClient(running, () => ({ outcome: { outcome: 'cancelled' } }));
  t.after(() => client.connection.close());
  const init = await client.connection.agent.request('initialize', { protocolVersion: 1, clientCapabilities: {} });
  assert.equal(init.protocolVersion, 1);
  assert.equal(init.agentInfo.name, 'plue');
  // The registry lists agents that tell an unauthenticated user how to sign in.
  assert.equal(init.authMethods.length, 1, running.stderr());
  assert.match(init.authMethods[0].description, /plue instances add/);
});
