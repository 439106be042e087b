// What a failed test of the real workbench leaves behind, for the E2E wrapper (tests/e2e/support/evidence.mjs) and
// the integration runner (tests/extension/runInCodeServer.mjs): under artifacts/test-results/<suite>/.../<test>/, a
// screenshot of each page, its console (the workbench's and the webviews' frames), every log code-server wrote during
// the test (the "Plue" output channel, which holds the sidecar's stderr too, "Plue Trace", the extension host's) and
// code-server's own, beside the error. test.sh never removes them after a run: CI keeps them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './codeServer.mjs';

export const testResults = path.join(repoRoot, 'artifacts/test-results');
const consoles = new WeakMap();

/** Keeps every console message and page error of `page`, from any of its frames, with its time. */
export function recordConsole(page) {
  const lines = [];
  consoles.set(page, lines);
  const stamp = () => new Date().toISOString();
  page.on('console', message => {
    const url = message.location().url ?? '';
    const where = /webview|vscode-resource|vscode-cdn/.test(url) ? `webview ${url.split('?')[0].split('/').pop()}` : 'workbench';
    lines.push(`${stamp()} ${message.type()} [${where}] ${message.text()}`);
  });
  page.on('pageerror', error => lines.push(`${stamp()} pageerror ${error.stack ?? error.message}`));
  page.on('crash', () => lines.push(`${stamp()} the page crashed`));
}

/** Where a workbench ({ page, server }) stood as a test started: its evidence is what came after. */
export function markOf(workbench) {
  return { console: consoles.get(workbench.page)?.length ?? 0, logs: new Map(logFiles(workbench.server).map(f => [f, size(f)])) };
}

/**
 * Saves the evidence of the failed test `title` in `dir` (emptied first): its `error`, and for each of `workbenches`
 * ({ page, server, mark }: mark from markOf as it started, none for one opened during the test) its screenshot,
 * console and logs since the mark.
 */
export async function saveEvidence(dir, title, error, workbenches) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'error.txt'), `${title}\nfailed at ${new Date().toISOString()}\n\n${error?.stack ?? error}\n`);
  for (const [index, { page, server, mark }] of workbenches.entries()) {
    const prefix = workbenches.length > 1 ? `${index + 1}-` : '';
    const at = mark ?? { console: 0, logs: new Map() };
    await page.screenshot({ path: path.join(dir, `${prefix}screenshot.png`), timeout: 10_000 }).catch(e => {
      fs.writeFileSync(path.join(dir, `${prefix}screenshot.txt`), `no screenshot: ${e.message}\n`);
    });
    fs.writeFileSync(path.join(dir, `${prefix}console.txt`), `${(consoles.get(page) ?? []).slice(at.console).join('\n')}\n`);
    // What was on screen, and the extension's last words, also in the run's own output: a CI run's folder of evidence
    // may be out of reach of whoever reads its log.
    const screen = await onScreen(page).catch(e => `not read: ${e.message}`);
    fs.writeFileSync(path.join(dir, `${prefix}on-screen.txt`), `${screen}\n`);
    console.error(`on screen when "${title}" failed: ${screen}`);
    for (const log of logFiles(server)) {
      const bytes = fs.readFileSync(log);
      const start = at.logs.get(log) ?? 0;
      if (bytes.length === 0) continue;
      // What the test wrote, after the last lines before it (what it started from).
      const text = `${bytes.subarray(Math.max(0, start - 16_384), start)}${start ? '\n----- the test started here -----\n' : ''}${bytes.subarray(start)}`;
      // Named by its place, without the session's folder: data/logs/<time>/exthost1/plue.plue-vscode/Plue.log.
      const name = path.relative(server.dir, log).split(path.sep).filter(p => !/^\d{8}T\d{6}$/.test(p)).join('_').replace(/\s+/g, '-');
      fs.writeFileSync(path.join(dir, `${prefix}${name}`), text);
      if (/Plue\.log$/.test(log)) {
        const lines = `${bytes.subarray(start)}`.trim().split('\n').filter(Boolean).slice(-25);
        if (lines.length) console.error(`the last lines of ${name} in "${title}":\n${lines.map(line => `  ${line}`).join('\n')}`);
      }
    }
  }
  console.error(`evidence of the failure of "${title}": ${path.relative(repoRoot, dir)}`);
}

/**
 * Records that `action` worked only at attempt `attempts` (a retry of a person's action the workbench can lose): on
 * stderr, and as one JSON line in retries.jsonl, so repeated runs (scripts/testRepeat.mjs) count it though it passed.
 */
export function noteRetry(entry) {
  console.error(`retried: ${entry.action} worked at attempt ${entry.attempts} (${entry.file}: ${entry.test})`);
  fs.mkdirSync(testResults, { recursive: true });
  fs.appendFileSync(path.join(testResults, 'retries.jsonl'), `${JSON.stringify({ ...entry, at: new Date().toISOString() })}\n`);
}

/**
 * The workbench as a person would describe it: the editor tabs (the active one marked), an open quick input (its title
 * and first rows), a dialog's text, and the notifications shown.
 */
async function onScreen(page) {
  const state = await page.evaluate(() => {
    // innerText, not textContent: a toast's list holds a <style> whose text a person never sees.
    const text = element => (element?.innerText ?? element?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const shown = element => element && element.getClientRects().length > 0 && getComputedStyle(element).display !== 'none';
    const tabs = [...document.querySelectorAll('.tab')].map(tab => `${tab.classList.contains('active') ? '*' : ''}${tab.getAttribute('aria-label') ?? text(tab)}`);
    const input = document.querySelector('.quick-input-widget');
    const quickInput = shown(input)
      ? `${text(input.querySelector('.quick-input-title')) || '(untitled)'} [${input.querySelector('input.input')?.value ?? ''}] rows: ${[...input.querySelectorAll('.quick-input-list .monaco-list-row')].slice(0, 5).map(text).join(' | ')}`
      : 'none';
    const dialog = document.querySelector('.monaco-dialog-box');
    const notifications = [...document.querySelectorAll('.notification-toast, .notifications-center .notification-list-item')].filter(shown).map(text);
    const menu = [...document.querySelectorAll('.context-view .action-label, .shadow-root-host')].length;
    return { tabs, quickInput, dialog: shown(dialog) ? text(dialog) : 'none', notifications, menu };
  });
  return `tabs: ${state.tabs.join(', ') || 'none'}; quick input: ${state.quickInput}; dialog: ${state.dialog}; notifications: ${state.notifications.join(' | ') || 'none'}; context menu parts: ${state.menu}`;
}

/** A test's name as a folder name. */
export function slug(name) {
  return name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 80);
}

/** The log files of a code-server: its own, and everything under its data folder's logs. */
function logFiles(server) {
  const logs = path.join(server.dirs.data, 'logs');
  const under = fs.existsSync(logs) ? fs.readdirSync(logs, { recursive: true, encoding: 'utf8' }).map(f => path.join(logs, f)) : [];
  return [server.dirs.log, ...under.filter(f => f.endsWith('.log'))].filter(f => fs.existsSync(f));
}

function size(file) {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
