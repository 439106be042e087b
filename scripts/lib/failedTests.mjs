// Prints one line per failed test, named by suite, so the end of a CI log (often all a reader sees) says what failed:
// xUnit's TRX files, node --test's TAP ("not ok N - title"), the integration runner's "✘ title".
// Usage: failedTests.mjs RESULTS_DIR. Prints nothing when every test passed.
import * as fs from 'node:fs';
import * as path from 'node:path';

const dir = process.argv[2];
const lines = [];

const trxDir = path.join(dir, 'dotnet');
for (const file of fs.existsSync(trxDir) ? fs.readdirSync(trxDir).filter(f => f.endsWith('.trx')) : []) {
  const trx = fs.readFileSync(path.join(trxDir, file), 'utf8');
  for (const match of trx.matchAll(/<UnitTestResult\b[^>]*>/g)) {
    const outcome = /\boutcome="([^"]*)"/.exec(match[0])?.[1];
    if (outcome && outcome !== 'Passed' && outcome !== 'NotExecuted') {
      lines.push(`dotnet: ${decode(/\btestName="([^"]*)"/.exec(match[0])?.[1] ?? '?')} (${outcome})`);
    }
  }
}

for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.log')).sort()) {
  const suite = path.basename(file, '.log');
  for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
    // Subtests (indented) name the step; their file or parent test follows them as its own line.
    const tap = /^\s*not ok \d+ - (.*)$/.exec(line);
    const mocha = /^\s*✘ (.*)$/.exec(line);
    if (tap) lines.push(`${suite}: ${tap[1]}`);
    else if (mocha) lines.push(`${suite}: ${mocha[1]}`);
  }
}

if (lines.length > 0) console.log(['failed tests:', ...lines.map(line => `  ${line}`)].join('\n'));

function decode(text) {
  return text.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
