// The README's measured figures, written or checked from what `npm test` measured: the coverage summaries it printed
// (artifacts/test-results/coverage-*.txt) and the VSIXs it packaged (artifacts/*.vsix).
//   node scripts/lib/figures.mjs --write   rewrites the figures in README.md
//   node scripts/lib/figures.mjs --check   prints what drifted, then "N passed, N failed" (test.sh's figures suite)
// A coverage figure may differ from the run by COVERAGE_SLACK points, or by SLACK_LINES lines or SLACK_BRANCHES branches
// of its area where that is more: what the integration suite reaches in a small area goes either way with timing (the
// same code gave extension/src/chat 666, 638 and 631 of its 1,076 lines in three runs, and up to 5 of its 142
// branches); a size by SIZE_SLACK.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const COVERAGE_SLACK = 3;
export const SLACK_LINES = 50;
export const SLACK_BRANCHES = 6;
export const SIZE_SLACK = 0.1;
const begin = '<!-- figures:coverage (node scripts/lib/figures.mjs --write) -->';
const end = '<!-- /figures:coverage -->';

/** Rows of a coverage summary (coberturaSummary.mjs, extensionCoverage.mjs): area → { lines, branches } in percent. */
export function readCoverage(text) {
  const rows = new Map();
  for (const match of text.matchAll(/^\s*((?:server|extension\/src)\S*(?: total)?)\s+(\d+\.\d)%\s+\d+\/(\d+)\s+(\d+\.\d|n\/a)%?\s+\d+\/(\d+)$/gm)) {
    rows.set(match[1].replace(/\/$/, ''), { lines: Number(match[2]), branches: match[4] === 'n/a' ? null : Number(match[4]), lineCount: Number(match[3]), branchCount: Number(match[5]) });
  }
  return rows;
}

/** What the last run measured under `root`: its coverage rows and each VSIX's size in MB, by target. */
export function measured(root = repoRoot) {
  const results = path.join(root, 'artifacts/test-results');
  const coverage = new Map();
  for (const name of ['coverage-server.txt', 'coverage-extension.txt']) {
    const file = path.join(results, name);
    if (fs.existsSync(file)) for (const [area, row] of readCoverage(fs.readFileSync(file, 'utf8'))) coverage.set(area, row);
  }
  const sizes = new Map();
  const artifacts = path.join(root, 'artifacts');
  for (const name of fs.existsSync(artifacts) ? fs.readdirSync(artifacts).filter(n => /^plue-vscode.*\.vsix$/.test(n)) : []) {
    const file = path.join(artifacts, name);
    const target = /^plue-vscode-(.+)\.vsix$/.exec(name)?.[1] ?? manifestTarget(file);
    sizes.set(target, fs.statSync(file).size / (1 << 20));
  }
  return { coverage, sizes };
}

function manifestTarget(file) {
  const xml = execFileSync('unzip', ['-p', file, 'extension.vsixmanifest'], { encoding: 'utf8' });
  return /TargetPlatform="([^"]+)"/.exec(xml)?.[1] ?? 'universal';
}

/** The coverage paragraph, from the run's rows; null when a row it quotes is missing. */
const paragraphAreas = ['server/ total', 'server/Providers', 'server/Transcripts', 'server/Sessions', 'extension/src total', 'extension/src/chat', 'extension/src/providers'];

/** The slack of each figure the paragraph quotes, in its order (each area's lines, then its branches). */
export function coverageSlacks(coverage) {
  const slack = (count, most) => Math.max(COVERAGE_SLACK, count > 0 ? (100 * most) / count : 0);
  return paragraphAreas.flatMap(area => [slack(coverage.get(area)?.lineCount ?? 0, SLACK_LINES), slack(coverage.get(area)?.branchCount ?? 0, SLACK_BRANCHES)]);
}

export function coverageParagraph(coverage) {
  const areas = paragraphAreas;
  if (areas.some(area => !coverage.has(area))) return null;
  const both = area => `${coverage.get(area).lines.toFixed(1)} % and ${coverage.get(area).branches?.toFixed(1) ?? 'n/a'} %`;
  const [server, providers, transcripts, sessions, extension, chat, providerCommands] = areas.map(both);
  return `The last full run printed: \`server/\` ${server.replace(' and', ' of lines and')} of branches; the provider code
(\`server/Providers\`) ${providers}; the message code, \`server/Transcripts\` ${transcripts} and \`server/Sessions\`
${sessions}; \`extension/src\` ${extension} (the chat and provider commands are driven mostly by the E2Es, which
this does not count: \`extension/src/chat\` ${chat}, \`extension/src/providers\` ${providerCommands}).`;
}

const sizeRow = /^(\| `plue-vscode-([^`]+)\.vsix` \|[^|]*\| )(\d+(?:\.\d+)?)( MB \|)/gm;

/** `text` with the figures of `run` written in (those the run measured; the others are left as they are). */
export function write(text, run) {
  let out = text.replace(sizeRow, (row, head, target, size, tail) => (run.sizes.has(target) ? `${head}${run.sizes.get(target).toFixed(1)}${tail}` : row));
  const paragraph = coverageParagraph(run.coverage);
  const from = out.indexOf(begin), to = out.indexOf(end);
  if (paragraph && from >= 0 && to > from) out = `${out.slice(0, from + begin.length)}\n${paragraph}\n${out.slice(to)}`;
  return out;
}

/** How the figures in `text` differ from `run`, one sentence each; what the run did not measure is not checked. */
export function drift(text, run) {
  const problems = [];
  for (const [, , target, size] of text.matchAll(sizeRow)) {
    if (run.sizes.has(target) && Math.abs(Number(run.sizes.get(target).toFixed(1)) - Number(size)) > SIZE_SLACK + 1e-9) {
      problems.push(`plue-vscode-${target}.vsix is ${run.sizes.get(target).toFixed(1)} MB; the README says ${size} MB`);
    }
  }
  const paragraph = coverageParagraph(run.coverage);
  const from = text.indexOf(begin), to = text.indexOf(end);
  if (from < 0 || to < from) {
    problems.push(`the README has no coverage paragraph between ${begin} and ${end}`);
  } else if (paragraph) {
    const numbers = s => [...s.matchAll(/(\d+\.\d|n\/a) %/g)].map(m => m[1]);
    const said = numbers(text.slice(from, to)), printed = numbers(paragraph);
    const slacks = coverageSlacks(run.coverage);
    const off = printed.length !== said.length || printed.some((p, i) => p === 'n/a' || said[i] === 'n/a' ? p !== said[i] : Math.abs(Number(p) - Number(said[i])) > slacks[i] + 1e-9);
    if (off) problems.push(`the README's coverage (${said.join(' ')}) is not what the run printed (${printed.join(' ')})`);
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const mode = process.argv[2];
  const readme = path.join(repoRoot, 'README.md');
  const run = measured();
  const text = fs.readFileSync(readme, 'utf8');
  if (mode === '--write') {
    fs.writeFileSync(readme, write(text, run));
    console.log(`figures: README.md written from ${run.coverage.size} coverage rows and ${run.sizes.size} VSIXs`);
  } else if (mode === '--check') {
    const problems = drift(text, run);
    if (!coverageParagraph(run.coverage)) problems.push('the run printed no coverage summary to check the README against (artifacts/test-results/coverage-*.txt)');
    if (run.sizes.size === 0) problems.push('the run packaged no VSIX to check the README against (artifacts/*.vsix)');
    for (const problem of problems) console.log(`figures: ${problem}`);
    if (problems.length > 0) console.log('figures: run `node scripts/lib/figures.mjs --write` after `npm test` and commit README.md');
    console.log(problems.length === 0 ? '1 passed, 0 failed' : '0 passed, 1 failed');
    process.exitCode = problems.length === 0 ? 0 : 1;
  } else {
    console.error('usage: node scripts/lib/figures.mjs --write | --check');
    process.exitCode = 2;
  }
}
