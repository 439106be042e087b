// The README's figures against a run's measurements (scripts/lib/figures.mjs): --write puts the run's figures in,
// --check fails on any figure that drifted from the run, and leaves alone what the run did not measure.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { drift, measured, readCoverage, write } from '../../scripts/lib/figures.mjs';

// As coberturaSummary.mjs and extensionCoverage.mjs print them.
const serverSummary = `coverage (xUnit)                     lines              branches
  server/Providers/                  92.8%    9280/10000    90.1%   901/1000
    ClaudeCode/                      50.0%        50/100    50.0%       5/10
  server/Sessions/                   97.7%      977/1000    87.7%   877/1000
  server/Transcripts/               100.0%        50/50    97.0%       97/100
server/ total                        83.9%    8390/10000    83.4%   834/1000
`;
const extensionSummary = `coverage (integration suite)         lines              branches
  extension/src/chat/                53.1%      531/1000    51.0%     51/100
  extension/src/providers/           48.2%      482/1000    n/a         0/0
extension/src total                  77.6%      776/1000    78.0%     78/100
`;
const readme = `# Plue
| VSIX | sidecar | size | budget |
|---|---|---|---|
| \`plue-vscode-linux-x64.vsix\` | self-contained | 19.4 MB | 25 MB |
| \`plue-vscode-win32-x64.vsix\` | self-contained | 18.8 MB | 25 MB |
| \`plue-vscode-universal.vsix\` | framework-dependent | 9.0 MB | 12 MB |

<!-- figures:coverage (node scripts/lib/figures.mjs --write) -->
The last full run printed: old words.
<!-- /figures:coverage -->
`;

function runUnder() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-figures-'));
  fs.mkdirSync(path.join(root, 'artifacts/test-results'), { recursive: true });
  fs.writeFileSync(path.join(root, 'artifacts/test-results/coverage-server.txt'), serverSummary);
  fs.writeFileSync(path.join(root, 'artifacts/test-results/coverage-extension.txt'), extensionSummary);
  // Sparse files of the VSIXs' sizes: only the size is read.
  for (const [name, mb] of [['plue-vscode-linux-x64.vsix', 24.7], ['plue-vscode-universal.vsix', 10.1]]) {
    fs.writeFileSync(path.join(root, 'artifacts', name), '');
    fs.truncateSync(path.join(root, 'artifacts', name), Math.round(mb * (1 << 20)));
  }
  return measured(root);
}

test('the summaries\' rows are read by area, a subfolder of Providers and the n/a of no branches included', () => {
  const rows = readCoverage(serverSummary + extensionSummary);
  assert.deepEqual(rows.get('server/ total'), { lines: 83.9, branches: 83.4, lineCount: 10000, branchCount: 1000 });
  assert.deepEqual(rows.get('server/Transcripts'), { lines: 100, branches: 97, lineCount: 50, branchCount: 100 });
  assert.deepEqual(rows.get('extension/src/providers'), { lines: 48.2, branches: null, lineCount: 1000, branchCount: 0 });
  assert.equal(rows.has('ClaudeCode'), false, 'a Providers subfolder is not an area');
});

test('--write puts the run\'s sizes and coverage in, and leaves a VSIX the run did not package as it was', () => {
  const run = runUnder();
  const written = write(readme, run);
  assert.match(written, /`plue-vscode-linux-x64\.vsix` \| self-contained \| 24\.7 MB \| 25 MB \|/);
  assert.match(written, /`plue-vscode-universal\.vsix` \| framework-dependent \| 10\.1 MB \| 12 MB \|/);
  assert.match(written, /`plue-vscode-win32-x64\.vsix` \| self-contained \| 18\.8 MB \|/, 'not packaged by the run: untouched');
  assert.match(written, /`server\/` 83\.9 % of lines and 83\.4 % of branches; the provider code\n\(`server\/Providers`\) 92\.8 % and 90\.1 %/);
  assert.match(written, /`extension\/src\/providers` 48\.2 % and n\/a %/);
  assert.doesNotMatch(written, /old words/);
  assert.deepEqual(drift(written, run), [], 'what was just written matches the run');
  assert.equal(write(written, run), written, 'writing twice changes nothing');
});

test('--check names each figure that drifted from the run, within its slack', () => {
  const run = runUnder();
  const written = write(readme, run);
  assert.deepEqual(drift(written.replace('24.7 MB', '24.8 MB').replace('92.8 %', '93.2 %'), run), [], '0.1 MB and 0.4 points are within the slack');
  const stale = drift(written.replace('24.7 MB', '19.4 MB').replace('92.8 %', '96.6 %'), run);
  assert.equal(stale.length, 2, stale.join('\n'));
  assert.match(stale[0], /plue-vscode-linux-x64\.vsix is 24\.7 MB; the README says 19\.4 MB/);
  assert.match(stale[1], /the README's coverage \(83\.9 83\.4 96\.6 .*\) is not what the run printed \(83\.9 83\.4 92\.8 /);
  // A small area's slack is six of its branches: the chat room's 51.0 % of 100 may read 57.0 %, not 57.1 %.
  const chat = (said) => drift(written.replace('53.1 % and 51.0 %', `53.1 % and ${said} %`), run);
  assert.deepEqual(chat('57.0'), [], 'six of 100 branches are within the slack');
  assert.equal(chat('57.1').length, 1, 'more than six of 100 branches drifted');
  // And 50 of its lines, which the integration suite reaches or not with timing: 53.1 % of 1,000 may read 58.1 %, not 58.2 %.
  const chatLines = (said) => drift(written.replace('53.1 % and 51.0 %', `${said} % and 51.0 %`), run);
  assert.deepEqual(chatLines('58.1'), [], '50 of 1,000 lines are within the slack');
  assert.equal(chatLines('58.2').length, 1, 'more than 50 of 1,000 lines drifted');
  const unmarked = drift(written.replace('<!-- /figures:coverage -->', ''), run);
  assert.equal(unmarked.length, 1, unmarked.join('\n'));
  assert.match(unmarked[0], /no coverage paragraph between/, 'markers removed: said, not skipped');
});
