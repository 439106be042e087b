// Line and branch coverage of extension/src from the V8 coverage the extension
// host wrote while the integration suite ran (NODE_V8_COVERAGE): keeps only the
// bundle's entries (the code-server processes write theirs to the same folder),
// lets c8 map them through out/test/host/extension.js.map (the suites' entry, bundled
// with the extension's sources) to extension/src, and prints the
// total and one line per folder.
// Usage: node scripts/lib/extensionCoverage.mjs V8_DIR REPORT_DIR
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { percent } from './coverageFormat.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bundle = pathToFileURL(path.join(repoRoot, 'out/test/host/extension.js')).href;

/** Copies the bundle's script coverage out of every V8 file in `rawDir` into `into`; returns how many were kept. */
export function keepBundle(rawDir, into) {
  fs.mkdirSync(into, { recursive: true });
  let kept = 0;
  for (const name of fs.existsSync(rawDir) ? fs.readdirSync(rawDir).filter(n => n.endsWith('.json')) : []) {
    let report;
    try {
      report = JSON.parse(fs.readFileSync(path.join(rawDir, name), 'utf8'));
    } catch (error) {
      // A process that outlived the suite (code-server's own) may still be writing its file: it is not the bundle's
      // whole coverage, and one cut file must not lose the summary of the rest.
      console.error(`coverage extension/src: ${name} skipped, not whole JSON (${error.message})`);
      continue;
    }
    const result = (report.result ?? []).filter(script => script.url === bundle);
    if (result.length === 0) continue;
    fs.writeFileSync(path.join(into, name), JSON.stringify({ result }));
    kept++;
  }
  return kept;
}

/** Sums c8's json-summary per folder of extension/src, and in all (under the key 'total'). */
export function byFolder(summary) {
  const folders = new Map();
  for (const [file, entry] of Object.entries(summary)) {
    const relative = path.relative(repoRoot, file).split(path.sep).join('/');
    if (!relative.startsWith('extension/src/')) continue;
    for (const folder of [path.posix.dirname(relative), 'total']) {
      const sum = folders.get(folder) ?? { lines: 0, linesCovered: 0, branches: 0, branchesCovered: 0 };
      folders.set(folder, sum);
      sum.lines += entry.lines.total;
      sum.linesCovered += entry.lines.covered;
      sum.branches += entry.branches.total;
      sum.branchesCovered += entry.branches.covered;
    }
  }
  return folders;
}

function row(name, s) {
  return `${name.padEnd(34)} ${percent(s.linesCovered, s.lines).padStart(7)} ${`${s.linesCovered}/${s.lines}`.padStart(12)} ` +
    `${percent(s.branchesCovered, s.branches).padStart(8)} ${`${s.branchesCovered}/${s.branches}`.padStart(11)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [rawDir, reportDir] = process.argv.slice(2);
  const filtered = path.join(reportDir, 'v8');
  fs.rmSync(reportDir, { recursive: true, force: true });
  if (keepBundle(rawDir, filtered) === 0) {
    console.log('coverage extension/src: the extension host wrote no coverage of out/test/host/extension.js');
    process.exit(0);
  }
  // c8 filters by the bundle's path; the sources it maps to (extension/src and bundled packages) are picked below,
  // because its --exclude-after-remap sees them relative to out/ and so outside the repository.
  const c8 = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/c8/bin/c8.js'), 'report',
    '--temp-directory', filtered, '--reports-dir', reportDir, '--reporter', 'json-summary',
    '--include', 'out/test/host/extension.js', '--exclude-node-modules=false'], { cwd: repoRoot, encoding: 'utf8' });
  const summaryFile = path.join(reportDir, 'coverage-summary.json');
  if (c8.status !== 0 || !fs.existsSync(summaryFile)) {
    console.log(`coverage extension/src: c8 report failed (${c8.status}): ${c8.stderr.trim().split('\n').pop()}`);
    process.exit(0);
  }
  const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
  const folders = byFolder(summary);
  console.log(`${'coverage (integration suite)'.padEnd(34)} ${'lines'.padStart(7)} ${''.padStart(12)} ${'branches'.padStart(8)}`);
  for (const name of [...folders.keys()].filter(n => n !== 'total').sort()) console.log(row(`  ${name}/`, folders.get(name)));
  console.log(row('extension/src total', folders.get('total')));
}
