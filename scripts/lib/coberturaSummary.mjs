// Prints line and branch coverage of server/ from coverlet's Cobertura XML
// (dotnet test --collect:"XPlat Code Coverage"): the total, then one line per
// area folder (server/Providers, server/Sessions, ...), with Providers' own
// subfolders. Several files (one per test project) are merged line by line.
// Usage: node scripts/lib/coberturaSummary.mjs FILE.cobertura.xml...
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { percent } from './coverageFormat.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Areas broken down one level further, because their parts differ in kind (HTTP clients, the CLI, discovery). */
const detailed = new Set(['server/Providers']);

/** file (repo-relative) → line number → { hits, covered, branches } */
export function readCobertura(files) {
  const byFile = new Map();
  for (const file of files) {
    const xml = fs.readFileSync(file, 'utf8');
    const sources = [...xml.matchAll(/<source>([^<]*)<\/source>/g)].map(m => decode(m[1]));
    for (const cls of xml.matchAll(/<class\b([^>]*)>([\s\S]*?)<\/class>/g)) {
      const name = attr(cls[1], 'filename');
      if (!name) continue;
      const relative = repoRelative(name, sources);
      if (!relative) continue;
      const lines = byFile.get(relative) ?? new Map();
      byFile.set(relative, lines);
      // Each class lists its lines once under <lines>, and again per method; read the class-level list only.
      const classLines = cls[2].replace(/<methods>[\s\S]*?<\/methods>/, '');
      for (const line of classLines.matchAll(/<line\b([^>]*?)\/?>/g)) {
        const number = Number(attr(line[1], 'number'));
        const hits = Number(attr(line[1], 'hits'));
        const condition = /\((\d+)\/(\d+)\)/.exec(attr(line[1], 'condition-coverage') ?? '');
        const known = lines.get(number) ?? { hits: 0, covered: 0, branches: 0 };
        lines.set(number, {
          hits: Math.max(known.hits, hits),
          covered: Math.max(known.covered, condition ? Number(condition[1]) : 0),
          branches: Math.max(known.branches, condition ? Number(condition[2]) : 0),
        });
      }
    }
  }
  return byFile;
}

/** Sums lines and branches per group; `groupOf` names a file's group (or null to leave it out). */
export function summarize(byFile, groupOf) {
  const groups = new Map();
  for (const [file, lines] of byFile) {
    const group = groupOf(file);
    if (group === null) continue;
    const sum = groups.get(group) ?? { lines: 0, linesCovered: 0, branches: 0, branchesCovered: 0 };
    groups.set(group, sum);
    for (const line of lines.values()) {
      sum.lines++;
      if (line.hits > 0) sum.linesCovered++;
      sum.branches += line.branches;
      sum.branchesCovered += line.covered;
    }
  }
  return groups;
}

/** The folder `depth` levels deep: server/Providers/ClaudeCode/X.cs → "server/Providers" (2), "server/Providers/ClaudeCode" (3); server/Program.cs → "server". */
export function areaOf(file, depth) {
  const parts = file.split('/');
  return parts.slice(0, Math.min(depth, parts.length - 1)).join('/');
}

function repoRelative(filename, sources) {
  const candidates = path.isAbsolute(filename) ? [filename] : sources.map(s => path.join(s, filename));
  for (const candidate of candidates) {
    const relative = path.relative(repoRoot, candidate).split(path.sep).join('/');
    // Source generators' output (logging, regex, JSON) lives under obj/ and is not ours to cover.
    if (relative.startsWith('server/') && !relative.startsWith('server/obj/')) return relative;
  }
  return null;
}

function attr(text, name) {
  const match = new RegExp(`\\b${name}="([^"]*)"`).exec(text);
  return match ? decode(match[1]) : undefined;
}

function decode(text) {
  return text.replaceAll('&quot;', '"').replaceAll('&apos;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

function row(name, sum) {
  return `${name.padEnd(34)} ${percent(sum.linesCovered, sum.lines).padStart(7)} ${`${sum.linesCovered}/${sum.lines}`.padStart(12)} ` +
    `${percent(sum.branchesCovered, sum.branches).padStart(8)} ${`${sum.branchesCovered}/${sum.branches}`.padStart(11)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = process.argv.slice(2).filter(f => fs.existsSync(f));
  if (files.length === 0) {
    console.log('coverage server/: no Cobertura file was written');
    process.exit(0);
  }
  const byFile = readCobertura(files);
  const total = summarize(byFile, () => 'server/').get('server/');
  const areas = summarize(byFile, file => areaOf(file, 2));
  const details = summarize(byFile, file => (!detailed.has(areaOf(file, 2)) ? null : file.split('/').length > 3 ? areaOf(file, 3) : `${areaOf(file, 2)}/*.cs`));
  console.log(`${'coverage (xUnit)'.padEnd(34)} ${'lines'.padStart(7)} ${''.padStart(12)} ${'branches'.padStart(8)}`);
  for (const name of [...areas.keys()].sort()) {
    console.log(row(name === 'server' ? '  server/*.cs' : `  ${name}/`, areas.get(name)));
    for (const sub of [...details.keys()].filter(d => path.posix.dirname(d) === name).sort()) {
      console.log(row(`    ${path.posix.basename(sub)}${sub.endsWith('.cs') ? '' : '/'}`, details.get(sub)));
    }
  }
  console.log(row('server/ total', total));
}
