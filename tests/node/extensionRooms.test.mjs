// The extension's rooms (ARCHITECTURE.md, "The extension"): the one table eslint.config.mjs makes its import rules from
// (scripts/lib/extensionRooms.mjs) says what ARCHITECTURE.md's table says, the lint refuses an import that breaks a row,
// and no two rooms and no two files of extension/src import each other, directly or round a longer loop.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { roomMessage, rooms } from '../../scripts/lib/extensionRooms.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const src = path.join(root, 'extension/src');

/** ARCHITECTURE.md's room table: room → the rooms its "may import" column names (`x/` in backticks). */
function documentedRooms() {
  const text = fs.readFileSync(path.join(root, 'ARCHITECTURE.md'), 'utf8');
  const section = text.slice(text.indexOf('\n## The extension\n'));
  const table = section.slice(0, section.indexOf('\n## ', 1)).split('\n').filter((line) => line.startsWith('| `'));
  const folders = (cell) => [...cell.matchAll(/`([A-Za-z]+)\/`/g)].map((m) => m[1]);
  const documented = {};
  for (const line of table) {
    const cells = line.split(' | ');
    for (const room of folders(cells[0])) {
      documented[room] = folders(cells[cells.length - 1]);
    }
  }
  return documented;
}

const sorted = (table) => Object.fromEntries(Object.entries(table).map(([room, may]) => [room, [...may].sort()]).sort(([a], [b]) => a.localeCompare(b)));

test('the rooms\' table is ARCHITECTURE.md\'s, and every folder of extension/src is a row of it', () => {
  assert.deepEqual(sorted(rooms), sorted(documentedRooms()));
  const folders = fs.readdirSync(src, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  assert.deepEqual(folders, Object.keys(rooms).sort());
});

test('the lint refuses an import that breaks a row of the table, with the row\'s message, and lets the row\'s own through', async (t) => {
  const probes = Object.keys(rooms).map((room) => {
    const other = Object.keys(rooms).find((r) => r !== room && !rooms[room].includes(r));
    const allowed = rooms[room][0];
    const firstFile = (r) => fs.readdirSync(path.join(src, r)).find((f) => f.endsWith('.ts')).replace(/\.ts$/, '');
    const refused = [`../${other}/${firstFile(other)}`, '../plue'];
    const lines = [
      ...refused.map((spec) => `import '${spec}';`),
      ...(allowed ? [`import '../${allowed}/${firstFile(allowed)}';`] : []),
      ...(room === 'shared' ? [`import 'vscode';`] : []),
    ];
    const file = path.join(src, room, `roomProbe${process.pid}.ts`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    t.after(() => fs.rmSync(file, { force: true }));
    return { room, file, refused };
  });

  const results = await new ESLint({ cwd: root }).lintFiles(probes.map((p) => p.file));
  for (const { room, file, refused } of probes) {
    const found = results.find((r) => r.filePath === file).messages
      .filter((m) => m.ruleId === 'no-restricted-imports')
      .map((m) => ({ line: m.line, message: m.message }));
    const expected = refused.map((spec, i) => ({ line: i + 1, message: `'${spec}' import is restricted from being used by a pattern. ${roomMessage(room)}` }));
    if (room === 'shared') {
      expected.push({ line: 3, message: '\'vscode\' import is restricted from being used. shared/ is loaded by the webview: no vscode.' });
    }
    assert.deepEqual(found, expected, `${room}/`);
  }
});

/** Every relative import of every .ts file under extension/src: file → the files it imports (types too). */
function importGraph() {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(file);
      } else if (file.endsWith('.ts')) {
        files.push(file);
      }
    }
  };
  walk(src);
  const graph = new Map();
  const specifier = /\b(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const imported = [...text.matchAll(specifier)].map((m) => path.resolve(path.dirname(file), m[1] ?? m[2]))
      .map((target) => fs.existsSync(`${target}.ts`) ? `${target}.ts` : path.join(target, 'index.ts'));
    graph.set(path.relative(src, file), new Set(imported.map((f) => path.relative(src, f))));
  }
  return graph;
}

/** The strongly connected parts of `graph` with more than one node (Tarjan): each is a loop. */
function loops(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const found = [];
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node), low.get(to)));
      } else if (stack.includes(to)) {
        low.set(node, Math.min(low.get(node), index.get(to)));
      }
    }
    if (low.get(node) === index.get(node)) {
      const part = [];
      let top;
      do {
        top = stack.pop();
        part.push(top);
      } while (top !== node);
      if (part.length > 1) {
        found.push(part.sort());
      }
    }
  };
  for (const node of graph.keys()) {
    if (!index.has(node)) {
      visit(node);
    }
  }
  return found;
}

test('no two files and no two rooms of extension/src import each other, directly or round a loop', () => {
  const files = importGraph();
  assert.ok(files.size > 100 && [...files.values()].some((to) => to.size > 0), 'the imports were not read');
  assert.deepEqual(loops(files), [], 'files that import each other');

  const roomOf = (file) => file.includes('/') ? file.split('/')[0] : undefined;
  const roomGraph = new Map();
  for (const [file, imported] of files) {
    const from = roomOf(file);
    if (from) {
      const to = roomGraph.get(from) ?? new Set();
      imported.forEach((f) => roomOf(f) && roomOf(f) !== from && to.add(roomOf(f)));
      roomGraph.set(from, to);
    }
  }
  assert.deepEqual(loops(roomGraph), [], 'rooms that import each other');
});
