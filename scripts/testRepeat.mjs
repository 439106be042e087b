// The repeat runner (`npm run test:repeat -- <suite> <N> [--busy] [--no-setup]`): runs one suite N times on one
// set-up and prints a table of each test, its passes out of N, the runs where a retried action was needed to pass
// (retries.jsonl, written by the E2E suite's untilShown) and its first failure's message. A flake shows as fewer than
// N passes. --busy keeps every core busy with a spinning process for the whole time (load as a shared CI runner has
// it). The set-up is test.sh's (scripts/lib/setup.sh), once; --no-setup only finds the tools, for a tree already built
// and packaged. Each run's output goes to artifacts/test-results/repeat/<suite>-<n>.log, the table to <suite>.md; a
// failed E2E or integration test's evidence stays under artifacts/test-results/ (the last failing run's).
// Suites: webview, integration, e2e, node, faults.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(repoRoot, 'artifacts/test-results');
const out = path.join(results, 'repeat');
const reporter = path.join(repoRoot, 'scripts/lib/repeatReporter.mjs');

const args = process.argv.slice(2);
const flags = new Set(args.filter(a => a.startsWith('--')));
const [suite, count] = args.filter(a => !a.startsWith('--'));
const nodeSuites = { webview: 'tests/webview/', e2e: 'tests/e2e/', node: 'tests/node/', faults: 'tests/faults/' };
const runs = Number(count);
if (!(suite in nodeSuites || suite === 'integration') || !Number.isInteger(runs) || runs < 1) {
  console.error('usage: npm run test:repeat -- <webview|integration|e2e|node|faults> <N> [--busy] [--no-setup]');
  process.exit(2);
}

const env = { ...process.env, ...setUp(!flags.has('--no-setup')) };
fs.mkdirSync(out, { recursive: true });
const spinners = flags.has('--busy') ? keepCoresBusy() : [];
const tests = new Map(); // name → { passed, retried, failure }
const load = () => os.loadavg().map(l => l.toFixed(1)).join(' ');
const summary = [];
try {
  for (let run = 1; run <= runs; run++) {
    fs.rmSync(path.join(results, 'retries.jsonl'), { force: true });
    const started = Date.now();
    const loadBefore = load();
    const seen = suite === 'integration' ? await runIntegration(run) : await runNodeSuite(run);
    const retries = readRetries();
    for (const [name, result] of seen) {
      const entry = tests.get(name) ?? { passed: 0, retried: 0, failure: undefined };
      if (result.passed) entry.passed++;
      else entry.failure ??= `run ${run}: ${result.error ?? 'failed'}`;
      if (retries.some(r => name.endsWith(r.test))) entry.retried++;
      tests.set(name, entry);
    }
    const failed = [...seen.values()].filter(r => !r.passed).length;
    const line = `run ${run}/${runs}: ${seen.size - failed} passed, ${failed} failed, ${retries.length} retried action(s), ${Math.round((Date.now() - started) / 1000)} s, load ${loadBefore} → ${load()}${spinners.length ? ` (+${spinners.length} busy cores)` : ''}`;
    summary.push(line);
    console.log(`\n${line}\n`);
  }
} finally {
  for (const spinner of spinners) spinner.kill('SIGKILL');
}

const table = render();
console.log(table);
fs.writeFileSync(path.join(out, `${suite}.md`), `${table}\n`);
process.exit([...tests.values()].every(t => t.passed === runs) && tests.size > 0 ? 0 : 1);

/** test.sh's set-up once (or, with `full` false, just the tools it finds), as the environment the suites need. */
function setUp(full) {
  const script = `set -e; source scripts/lib/setup.sh
    ${full ? 'plue_setup test >&2' : 'CODE_SERVER="$(bash scripts/install-tools.sh test | tail -n 1)"; PLUE_CLAUDE_CLI="$(bash tests/support/install-claude.sh | tail -n 1)"'}
    source scripts/lib/publish.sh
    sidecar=""; [ "$(host_target)" != universal ] && sidecar="$PWD/$(sidecar_program "$(host_target)")"
    printf '%s\\n' "$CODE_SERVER" "$PLUE_CLAUDE_CLI" "$sidecar"`;
  const result = spawnSync('bash', ['-c', script], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) {
    console.error('test:repeat: the set-up failed; no run started.');
    process.exit(1);
  }
  const [codeServer, claude, sidecar] = result.stdout.trim().split('\n').slice(-3);
  // As test.sh: the process suites run the published (Native AOT) sidecar when there is one.
  return { CODE_SERVER: codeServer, PLUE_CLAUDE_CLI: claude, ...(sidecar && fs.existsSync(sidecar) ? { PLUE_SIDECAR: sidecar } : {}) };
}

/** One spinning process per core, at normal priority, until the runs end (or this runner is stopped). */
function keepCoresBusy() {
  const spinning = Array.from({ length: os.availableParallelism() }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      for (const spinner of spinning) spinner.kill('SIGKILL');
      process.exit(128 + os.constants.signals[signal]);
    });
  }
  return spinning;
}

/** Runs `command` with its output shown and saved as run `run`'s log; resolves to that output. */
function runLogged(run, command, commandArgs) {
  const log = path.join(out, `${suite}-${run}.log`);
  console.log(`=== ${suite} run ${run}/${runs}: ${command} ${commandArgs.join(' ')} (load ${load()})`);
  return new Promise(resolve => {
    const child = spawn(command, commandArgs, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const take = chunk => { text += chunk; process.stdout.write(chunk); };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', () => { fs.writeFileSync(log, text); resolve(text); });
  });
}

/** A node --test suite: its tests' results through repeatReporter.mjs (one JSON line each), the spec reporter shown. */
async function runNodeSuite(run) {
  const jsonl = path.join(out, `${suite}-${run}.jsonl`);
  fs.rmSync(jsonl, { force: true });
  await runLogged(run, process.execPath, ['--test', `--test-reporter=${reporter}`, `--test-reporter-destination=${jsonl}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout', nodeSuites[suite]]);
  const seen = new Map();
  const lines = fs.existsSync(jsonl) ? fs.readFileSync(jsonl, 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l)) : [];
  for (const result of lines) seen.set(result.name, result);
  if (seen.size === 0) seen.set(`${suite} (the suite reported no test)`, { passed: false, error: `see ${path.relative(repoRoot, out)}/${suite}-${run}.log` });
  return seen;
}

/** The integration suite: runInCodeServer.mjs prints "✔ title" or "✘ title" and the error indented below it. */
async function runIntegration(run) {
  const text = await runLogged(run, process.execPath, ['tests/extension/runInCodeServer.mjs']);
  const seen = new Map();
  let last;
  for (const line of text.split('\n')) {
    const result = /^ {2}([✔✘-]) (.*?)(?: \(\d+ ms\))?$/.exec(line);
    if (result) {
      last = { passed: result[1] !== '✘', error: undefined };
      if (result[1] !== '-') seen.set(result[2], last);
    } else if (last && !last.passed && !last.error && line.startsWith('      ') && line.trim()) {
      last.error = line.trim();
    }
  }
  if (seen.size === 0) seen.set('integration (the suite did not run)', { passed: false, error: text.split('\n').filter(Boolean).slice(-3).join(' / ') });
  return seen;
}

function readRetries() {
  const file = path.join(results, 'retries.jsonl');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l)) : [];
}

function render() {
  const rows = [...tests].sort(([a, x], [b, y]) => x.passed - y.passed || a.localeCompare(b));
  const cut = (text, n) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
  const lines = [
    `${suite}: ${runs} run(s)${flags.has('--busy') ? ', every core kept busy' : ''}, ${rows.length} tests, ${rows.filter(([, t]) => t.passed === runs).length} passed every run`,
    ...summary,
    '',
    '| test | passed | retried | first failure |',
    '|---|---|---|---|',
    ...rows.map(([name, t]) => `| ${cut(name, 110).replace(/\|/g, '\\|')} | ${t.passed}/${runs} | ${t.retried || ''} | ${cut(t.failure ?? '', 200).replace(/\|/g, '\\|')} |`),
  ];
  return lines.join('\n');
}
