// Runs the integration suite (out/test/suite) inside a real VS Code extension
// host served by code-server, driven by chromium. The workbench reports only an
// exit code, so the suite writes its counts to PLUE_TEST_RESULTS and this prints
// them as the last line: "N passed, N failed". Run `npm run build` first. Plue is loaded from out/test/host: its test
// entry, which returns the PlueApi the suites read, beside a copy of its manifest (tests/extension/host/build.mjs).
// Env: PLUE_SIDECAR_PATH sets plue.sidecar.path; PLUE_TEST_TIMEOUT_MS (default 300000);
// PLUE_TEST_GREP (passed on with the environment) runs only the tests whose full title matches it.
// Each notification toast the workbench shows is appended to PLUE_TEST_NOTIFICATIONS (one JSON line: severity, message),
// so a test checks an error by what the user reads (support.ts's `toastShown`).
// PLUE_IT_SUITE names the suite folder under out/test (default "suite"); PLUE_IT_EXTENSIONS (paths joined by ":")
// installs more (unpacked) extensions beside Plue (the Language Model API suite's fixture); CODE_SERVER picks the binary.
// A failed test leaves its evidence (tests/support/evidence.mjs) under artifacts/test-results/<suite>/<test>/: the
// suite tells this runner, at PLUE_TEST_EVIDENCE_URL, when each test starts and when one has failed.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchBrowser } from '../support/browser.mjs';
import { repoRoot, startCodeServer, workbenchUrl } from '../support/codeServer.mjs';
import { markOf, recordConsole, saveEvidence, slug, testResults } from '../support/evidence.mjs';

const timeoutMs = Number(process.env.PLUE_TEST_TIMEOUT_MS ?? 300_000);
const testsPath = path.join(repoRoot, 'out/test', process.env.PLUE_IT_SUITE ?? 'suite', 'index.js');
const fixtures = (process.env.PLUE_IT_EXTENSIONS ?? '').split(':').filter(Boolean);
const plue = path.join(repoRoot, 'out/test/host');
if (!fs.existsSync(testsPath) || !fs.existsSync(path.join(plue, 'package.json'))) {
  console.error(`out/test/host/package.json or ${path.relative(repoRoot, testsPath)} is missing: run \`npm run build\` first.`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-it-'));
const workspace = path.join(scratch, 'workspace');
fs.mkdirSync(workspace);
fs.writeFileSync(path.join(workspace, 'README.md'), '# Plue integration test workspace\n');
const resultsFile = path.join(scratch, 'results.json');
const notificationsFile = path.join(scratch, 'notifications.jsonl');
const settings = process.env.PLUE_SIDECAR_PATH ? { 'plue.sidecar.path': process.env.PLUE_SIDECAR_PATH } : {};

let server;
let browser;
let exitCode = 1;
const workbench = {};
const evidence = await evidenceEndpoint(workbench);
try {
  server = await startCodeServer({
    dir: path.join(scratch, 'code-server'),
    settings,
    extensionFolders: fixtures,
    env: { PLUE_HOME: path.join(scratch, 'plue-home'), PLUE_TEST_RESULTS: resultsFile, PLUE_TEST_NOTIFICATIONS: notificationsFile, PLUE_TEST_EVIDENCE_URL: evidence.url },
  });
  browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  Object.assign(workbench, { page, server });
  recordConsole(page);
  await countQuickInputs(page);
  const automationExit = new Promise(resolve => { void page.exposeFunction('codeAutomationExit', code => resolve(code)); });
  await recordToasts(page, notificationsFile);
  await page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: plue, extensionTestsPath: testsPath }), { timeout: 90_000 });
  const code = await Promise.race([automationExit, new Promise(resolve => setTimeout(() => resolve('timeout'), timeoutMs))]);
  if (code === 'timeout') console.error(`The suite did not finish within ${timeoutMs} ms.`);
  exitCode = code === 0 ? 0 : 1;
  if (exitCode !== 0) console.error(`code-server log (tail):\n${server.log().slice(-3000)}`);
} catch (error) {
  console.error('The code-server runner failed:', error);
} finally {
  evidence.close();
  await browser?.close().catch(() => {});
  await server?.stop();
}

const results = fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : undefined;
if (exitCode !== 0 || results?.failed) printSidecarLogs(path.join(scratch, 'code-server'));
fs.rmSync(scratch, { recursive: true, force: true });
if (!results) {
  console.error('The suite wrote no results: it did not run (see the messages above).');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const marks = { passed: '✔', failed: '✘', pending: '-' };
for (const test of results.tests) {
  console.log(`  ${marks[test.state]} ${test.title}${test.durationMs === undefined ? '' : ` (${test.durationMs} ms)`}`);
  if (test.error) console.log(test.error.replace(/^/gm, '      '));
}
if (exitCode !== 0 && results.failed === 0) results.failed = 1; // the workbench saw a failure the counts missed
console.log(`${results.passed} passed, ${results.failed} failed`);
process.exit(exitCode === 0 && results.failed === 0 ? 0 : 1);

/** Appends each notification toast the page shows to `file`, once per toast and text, as it appears. */
async function recordToasts(page, file) {
  await page.exposeFunction('plueToastShown', toast => fs.appendFileSync(file, JSON.stringify(toast) + '\n'));
  await page.addInitScript(() => {
    const seen = new WeakMap();
    new MutationObserver(() => {
      for (const item of document.querySelectorAll('.notifications-toasts .notification-toast .notification-list-item')) {
        const message = item.querySelector('.notification-list-item-message')?.textContent ?? '';
        if (!message || seen.get(item) === message) continue;
        seen.set(item, message);
        const icon = item.querySelector('.notification-list-item-icon')?.classList;
        const severity = icon?.contains('codicon-error') ? 'error' : icon?.contains('codicon-warning') ? 'warning' : 'info';
        void window.plueToastShown({ severity, message });
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

/** A failed run shows the "Plue" output channel (the sidecars' own stderr), which goes with the scratch folder. */
function printSidecarLogs(dir) {
  const logs = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(name => name.endsWith('Plue.log'));
  for (const name of logs) console.error(`"Plue" output (tail of ${name}):\n${fs.readFileSync(path.join(dir, name), 'utf8').slice(-6000)}`);
}

/**
 * The endpoint the suite asks (tests/extension/suite/runner.ts): POST /start { title } as each test starts, /failed
 * { title, error } once one has failed (answered when its evidence is saved), /quickInput { after } once the workbench
 * shows a quick input newer than the `after`th (its items loaded), answering its count ({} answers the count now),
 * /quickInputMessage { type, contains } types `type` into the quick input shown and answers { message }, the message
 * under its box once it holds `contains` (or as it is after 15 s).
 */
async function evidenceEndpoint(workbench) {
  let mark;
  const suite = process.env.PLUE_IT_SUITE ?? 'integration';
  const answers = {
    start: async () => { mark = markOf(workbench); },
    failed: async ({ title, error }) => {
      await saveEvidence(path.join(testResults, suite, slug(title)), title, error, [{ ...workbench, mark }])
        .catch(e => console.error(`the evidence of "${title}" was not saved: ${e.message}`));
    },
    quickInput: async ({ after }) => ({ count: await quickInputShown(workbench.page, after) }),
    quickInputMessage: async ({ type, contains }) => ({ message: await quickInputMessage(workbench.page, type, contains) }),
  };
  const endpoint = http.createServer((request, response) => {
    let body = '';
    request.on('data', chunk => { body += chunk; });
    request.on('end', async () => {
      const answer = answers[request.url.slice(1)];
      try {
        if (!answer || !workbench.page) throw new Error(`nothing answers ${request.url} now`);
        response.end(JSON.stringify(await answer(JSON.parse(body || '{}')) ?? {}));
      } catch (error) {
        response.writeHead(500).end(error.message);
      }
    });
  });
  await new Promise(resolve => endpoint.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${endpoint.address().port}`, close: () => endpoint.close() };
}

/**
 * Counts, in the page, each quick input the workbench shows (a new title, placeholder or kind of box, or shown again after
 * it hid): a command's next step is the one after the count read before it.
 */
function countQuickInputs(page) {
  return page.addInitScript(() => {
    let last = '';
    window.plueQuickInputs = 0;
    const state = () => {
      const box = document.querySelector('.quick-input-widget');
      if (!box || box.style.display === 'none') return '';
      const text = selector => box.querySelector(selector)?.textContent ?? '';
      return [text('.quick-input-title'), box.querySelector('input.input')?.placeholder, box.querySelector('input.input')?.type].join('|');
    };
    new MutationObserver(() => {
      const now = state();
      if (now && now !== last) window.plueQuickInputs++;
      last = now;
    }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['style', 'placeholder', 'type'] });
  });
}

/** Types `type` into the quick input shown, as a user does, and reads the message under its box once it holds `contains`. */
async function quickInputMessage(page, type, contains) {
  await page.locator('.quick-input-widget input.input').fill(type);
  await page.waitForFunction(c => (document.querySelector('.quick-input-widget .quick-input-message')?.textContent ?? '').includes(c), contains, { timeout: 15_000 }).catch(() => {});
  return page.evaluate(() => document.querySelector('.quick-input-widget .quick-input-message')?.textContent ?? '');
}

/**
 * The count of quick inputs shown, once it is above `after` and the one on screen has finished loading its items. A
 * pick whose items are still coming is shown at once, empty, and VS Code draws its progress bar only after 800 ms: a
 * pick with no row yet is loading, or Enter in those 800 ms would accept nothing and leave it open (the provider pick
 * of Add Provider, which reads every provider's prices, did so under load).
 */
async function quickInputShown(page, after) {
  if (after === undefined) return page.evaluate(() => window.plueQuickInputs);
  const handle = await page.waitForFunction(seen => {
    const box = document.querySelector('.quick-input-widget');
    const shown = box && box.style.display !== 'none';
    const progress = box?.querySelector('.quick-input-progress.monaco-progress-container');
    const busy = progress && progress.style.display !== 'none' && progress.classList.contains('active');
    const list = box?.querySelector('.quick-input-list');
    const emptyPick = list && list.offsetParent !== null && !list.querySelector('.monaco-list-row');
    return shown && !busy && !emptyPick && window.plueQuickInputs > seen ? window.plueQuickInputs : false;
  }, after, { timeout: 20_000 }).catch(async () => {
    const onScreen = await page.evaluate(() => {
      const box = document.querySelector('.quick-input-widget');
      if (!box || box.style.display === 'none') return 'none';
      const rows = box.querySelectorAll('.quick-input-list .monaco-list-row').length;
      return `"${box.querySelector('.quick-input-title')?.textContent ?? ''}" with ${rows} row(s)`;
    }).catch(() => 'unknown');
    throw new Error(`the workbench showed no new quick input in 20 s (it had shown ${after}; on screen: ${onScreen})`);
  });
  return handle.jsonValue();
}
