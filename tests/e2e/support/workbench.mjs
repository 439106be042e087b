// What every E2E file does with the workbench: install the packaged VSIX into a fresh code-server, open a
// browser page on a folder, and drive the palette, quick picks and context menus the way a person does.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchBrowser } from '../../support/browser.mjs';
import { repoRoot, startCodeServer, workbenchUrl } from '../../support/codeServer.mjs';
import { recordConsole } from '../../support/evidence.mjs';
import { evidenceSaved, noteRetry, openWorkbenches } from './evidence.mjs';

export { test } from './evidence.mjs';

export const vsix = path.join(repoRoot, 'artifacts/plue-vscode.vsix');
export const screenshots = path.join(repoRoot, 'artifacts/screenshots');

/**
 * code-server with the VSIX (in `scratch`/code-server) and a page on `folder`, once the workbench is up and, unless
 * `waitForSidecar` is false, the sidecar has started (its status bar item shows); `vsix` picks another VSIX than plue-vscode.vsix; `extensionFolders` installs unpacked extensions beside it; `workspaceTrust` turns Workspace Trust on (the folder opens untrusted). `server` is code-server (its folders hold the logs); `close()` stops both.
 */
export async function openWorkbench({ scratch, folder, settings, env, extensionFolders, workspaceTrust, waitForSidecar = true, vsix: file = vsix, asStarted = false }) {
  assert.ok(fs.existsSync(file), `${file} is missing: run \`npm run package\` first`);
  // asStarted: the window as `npm start` serves it (not the suites' quiet settings), opened at the bare `?folder=` address.
  const server = await startCodeServer({ dir: path.join(scratch, 'code-server'), vsix: file, settings, env, extensionFolders, workspaceTrust, suite: !asStarted });
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(30_000);
  const toasts = [];
  const cards = [];
  const workbench = {
    page,
    server,
    /** Every notification toast Plue's window showed, in order: what the user read. */
    toasts,
    /** Every card and notice Plue's webviews showed ({kind, text}), in order. */
    cards,
    async close() {
      await evidenceSaved();
      openWorkbenches.delete(workbench);
      await browser.close().catch(() => {});
      await server.stop();
      // Users see their own words: no toast of the suites names a protocol method or an absolute path. The file fails
      // by its exit code rather than by throwing here: a throw would skip the caller's clean-up after close() (its
      // fake servers), and the process would then hang until the suite's time limit.
      const notWords = [...toasts.filter(notUsersWords), ...cards.filter(cardNotUsersWords).map(c => `${c.kind}: ${c.text}`)];
      if (notWords.length > 0) {
        console.error(`a toast or card names a protocol method or an absolute path:\n${notWords.map((t) => `  ${t}`).join('\n')}`);
        process.exitCode = 1;
      }
    },
  };
  openWorkbenches.add(workbench);
  recordConsole(page);
  await recordToasts(page, toasts, cards);
  // The first load compiles the workbench bundle: on a loaded machine it takes longer than the 30 s default.
  const url = asStarted ? `${server.url}?${new URLSearchParams({ folder })}` : workbenchUrl(server, { folder });
  await page.goto(url, { timeout: 90_000 });
  await page.locator('.monaco-workbench .activitybar').waitFor();
  if (waitForSidecar) await page.locator('.statusbar-item', { has: page.locator('.codicon-hubot') }).waitFor({ timeout: 60_000 });
  return workbench;
}

/** Every method of the wire, from the contract's table (`new("instances/update", …)`). */
const methods = [...new Set([...fs.readFileSync(path.join(repoRoot, 'server/Protocol/Contract.cs'), 'utf8').matchAll(/new\("([a-zA-Z]+\/[a-zA-Z/]+)"/g)].map(m => m[1]))];
const methodName = new RegExp(`(?<![\\w/])(${methods.map(m => m.replace('/', '\\/')).join('|')})(?![\\w/])`);
/** A path from the root of a Unix or Windows file system, as a word of a sentence (not a URL's path). */
const absolutePath = /(?:^|[\s"'(])(?:\/(?:tmp|home|root|var|usr|opt|etc|work|Users|private)\/|[A-Za-z]:\\)/;

/** A toast a user should not read: it names a protocol method or an absolute path. */
export function notUsersWords(message) {
  // Show Status is the report a user asks for to find where Plue keeps its files: the home's path is its answer.
  if (message.startsWith('Plue sidecar ')) return methodName.test(message);
  return methodName.test(message) || absolutePath.test(message);
}

/**
 * A card a user should not read: any card naming a protocol method; a message card (an error, a notice, a banner, a
 * field's error) naming an absolute path too. A tool's approval or a sandbox denial may show the path or command the
 * agent used: that is the card's subject, not Plue's words.
 */
export function cardNotUsersWords({ kind, text }) {
  if (methodName.test(text)) return true;
  return messageCards.has(kind) && absolutePath.test(text);
}

/** What each webview card is, by its class: its kind and whether it is Plue's own message (checked for paths too). */
const cardKinds = {
  'approval-card': 'approval', 'part-sandbox': 'sandbox', 'part-unconfined': 'unconfined', 'notice-text': 'notice',
  'error-banner': 'error', 'settings-banner': 'banner', 'field-error': 'field error', 'approval-error': 'approval error',
};
const messageCards = new Set(['notice', 'error', 'banner', 'field error', 'approval error']);

/**
 * Keeps the text of each notification toast the page shows, once per toast and text, as it appears; and, in Plue's
 * webviews (the script runs in every frame), each card's and notice's text.
 */
async function recordToasts(page, toasts, cards) {
  await page.exposeFunction('plueToastShown', message => toasts.push(message));
  await page.exposeFunction('plueCardShown', (kind, text) => cards.push({ kind, text }));
  await page.addInitScript(kinds => {
    const seen = new WeakMap();
    // One look per frame at most, not one per change of the whole page (the walkthrough animates: a look per change
    // slowed the workbench enough to miss its commands).
    let queued = false;
    const look = () => {
      queued = false;
      for (const item of document.querySelectorAll('.notifications-toasts .notification-toast .notification-list-item')) {
        const message = item.querySelector('.notification-list-item-message')?.textContent ?? '';
        if (!message || seen.get(item) === message) continue;
        seen.set(item, message);
        void window.plueToastShown(message);
      }
      for (const [cls, kind] of Object.entries(kinds)) {
        for (const card of document.getElementsByClassName(cls)) {
          const text = card.textContent?.trim() ?? '';
          if (!text || seen.get(card) === text) continue;
          seen.set(card, text);
          void window.plueCardShown?.(kind, text);
        }
      }
    };
    // A webview writes its page into its frame after this script ran, so an observer set here would watch a document
    // that is gone: a webview's small page is looked at on a timer instead.
    if (window.top !== window) { setInterval(look, 250); return; }
    new MutationObserver(() => {
      if (!queued) { queued = true; requestAnimationFrame(look); }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  }, cardKinds);
}

/**
 * Opens the command palette the way a person does: the workbench takes the focus first (F1 pressed while the focus is
 * inside a webview goes to the webview's frame, not to VS Code's keybindings), then F1, checked and retried a bounded
 * number of times (a frame going away can still swallow one). Fails saying where the focus was.
 */
export async function openPalette(page) {
  const input = page.locator('.quick-input-widget input.input');
  const presses = 3;
  for (let attempt = 1; attempt <= presses; attempt++) {
    await page.evaluate(() => {
      const focused = document.activeElement;
      if (focused && focused !== document.body && !focused.closest('.quick-input-widget')) focused.blur();
    });
    await page.keyboard.press('F1');
    if (await input.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false)) {
      if (attempt > 1) noteRetry('F1 for the command palette', attempt);
      return input;
    }
  }
  const focus = await page.evaluate(() => {
    const focused = document.activeElement;
    return focused ? `${focused.tagName.toLowerCase()}${focused.className ? `.${String(focused.className).split(' ').join('.')}` : ''}` : 'nothing';
  });
  throw new Error(`The command palette did not open after ${presses} presses of F1 with the workbench focused (the focus was on ${focus}).`);
}

/** Runs a command from the palette by its title. */
export async function runCommand(page, title) {
  // A webview taking the focus back late closes the palette just opened, before or after it was filled: open it
  // again, a bounded number of times.
  for (let attempt = 1; ; attempt++) {
    const retry = error => (attempt === 3 ? Promise.reject(error) : false);
    const input = await openPalette(page);
    if (!await input.fill(`>${title}`, { timeout: 3_000 }).then(() => true, retry)) continue;
    // The first row, the one Enter takes, once the filter has applied: before, it may be a recently used command.
    const row = page.locator('.quick-input-list .monaco-list-row').first().filter({ hasText: title });
    if (await row.waitFor({ timeout: attempt === 3 ? 30_000 : 10_000 }).then(() => true, retry)) {
      if (attempt > 1) noteRetry(`the palette for "${title}"`, attempt);
      break;
    }
  }
  await page.keyboard.press('Enter');
}

/**
 * Runs a command whose first step is a quick pick, then picks `label` there. A webview taking the focus back closes the
 * pick the command has just opened (or takes the Enter that ran it), before or just after it shows: the command runs
 * again, a bounded number of times, when its pick does not show or is gone before `label` could be typed into it.
 */
export async function runCommandToPick(page, title, label) {
  const input = page.locator('.quick-input-widget input.input');
  for (let attempt = 1; ; attempt++) {
    await showCommandPick(page, title);
    if (await input.fill(label, { timeout: 5_000 }).then(() => true, () => false)) {
      if (attempt > 1) noteRetry(`the pick of "${title}", closed before "${label}" was typed`, attempt);
      break;
    }
    if (attempt === 3) throw new Error(`the pick of "${title}" closed before "${label}" could be typed into it, three times`);
  }
  await pick(page, label);
}

/** Runs a command until its first step, a quick pick, shows. */
async function showCommandPick(page, title) {
  const pickShown = {
    waitFor: ({ timeout }) => page.waitForFunction(() => {
      const box = document.querySelector('.quick-input-widget');
      const value = box?.querySelector('input.input')?.value;
      // Open, and no longer the palette (whose text starts with ">").
      return box && box.style.display !== 'none' && value !== undefined && !value.startsWith('>');
    }, undefined, { timeout }),
  };
  await runCommandUntil(page, title, pickShown);
}

/** Runs a command again, at most three times, until `shows` (what it opens) appears: a busy host can lose the Enter. */
export async function runCommandUntil(page, title, shows) {
  await untilShown(`the command "${title}"`, () => runCommand(page, title), shows, 10_000);
}

/**
 * Does `act` (a person's action, named by `what`) again, at most three times, until `shows` (anything with Playwright's
 * `waitFor`) appears within `timeout`. Only for an action the workbench itself can drop: an Enter or a click taken by
 * a quick input or a menu that a webview's late focus change closes first. An action that worked only when repeated is
 * logged (noteRetry), so repeated runs count it.
 */
async function untilShown(what, act, shows, timeout) {
  for (let attempt = 1; ; attempt++) {
    await act();
    try {
      await shows.waitFor({ timeout });
      if (attempt > 1) noteRetry(what, attempt);
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/**
 * Waits for a notification whose text has `text` (a string or RegExp), as a toast or else in the notification centre,
 * and returns its text. The workbench shows at most three notifications in 800 ms as toasts (progress ones count) and
 * sends the rest only to the centre, so a notice right after a test's other notices may never be a toast. The centre is
 * looked in when the toast is 10 s late and no quick input is open (the palette would close it, and a command still
 * asking with it), then closed again.
 */
export async function notification(page, text, { timeout = 30_000 } = {}) {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text });
  const listed = page.locator('.notifications-center .notification-list-item', { hasText: text });
  const deadline = Date.now() + timeout;
  const left = (most = Infinity) => Math.max(Math.min(most, deadline - Date.now()), 1);
  for (;;) {
    if (await toast.first().waitFor({ timeout: left(10_000) }).then(() => true, () => false)) return toast.first().innerText();
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: left() }).catch(() => {});
    await runCommand(page, 'Notifications: Show Notifications');
    const inCentre = await listed.first().waitFor({ timeout: 2_000 }).then(() => listed.first().innerText(), () => undefined);
    await runCommand(page, 'Notifications: Hide Notifications');
    if (inCentre !== undefined) return inCentre;
    if (Date.now() >= deadline) throw new Error(`no notification with "${text}" in ${timeout} ms, as a toast or in the notification centre`);
  }
}

/**
 * Shows Plue's views in the side bar and waits until they are there. Its activity bar tab is a toggle: a click while
 * Plue is showing hides the side bar (a test before may have left it open), so it is clicked only when it is not.
 */
export async function showPlue(page) {
  const shown = page.locator('.part.sidebar .composite.title .title-label', { hasText: /^Plue$/i });
  if (!await shown.isVisible()) await page.locator('.activitybar').getByRole('tab', { name: 'Plue', exact: true }).click();
  await shown.waitFor();
}

/** The side bar's Plue Chat view, by its title. */
export function sideBarChat(page) {
  return page.locator('.part.sidebar .title-label', { hasText: 'Plue Chat' });
}

/** Filters the open quick pick to `label` (long lists render only the rows in view), then picks it. */
export async function pick(page, label) {
  const input = page.locator('.quick-input-widget input.input');
  await input.fill(label);
  // The first row, the one Enter takes, once the filter has applied (before, it may be another).
  await page.locator('.quick-input-list .monaco-list-row').first().filter({ hasText: label }).waitFor();
  const title = await page.locator('.quick-input-widget .quick-input-title').textContent();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Enter');
    // A list still refreshing its items can drop the Enter. The pick was taken once this step is gone: the box
    // closed, or shows another title (the next step may be prefilled with the same text), or another text.
    const taken = await page.waitForFunction(([before, text]) => {
      const box = document.querySelector('.quick-input-widget');
      if (!box || box.style.display === 'none') return true;
      return box.querySelector('.quick-input-title')?.textContent !== before || box.querySelector('input.input')?.value !== text;
    }, [title, label], { timeout: 5_000 }).then(() => true, () => false);
    if (taken && attempt > 1) noteRetry(`Enter on "${label}"`, attempt);
    if (taken || attempt === 3) return;
    await input.focus();
  }
}

/** Runs a task from the palette: Run Task, its template, the goal typed into the input box, then its instance and model. */
export async function runTask(page, { template, goal, instance, model }) {
  await runCommandToPick(page, 'Plue: Run Task', template);
  await page.locator('.quick-input-widget', { hasText: 'Goal' }).waitFor();
  await page.locator('.quick-input-widget input.input').fill(goal);
  await page.keyboard.press('Enter');
  await pickModel(page, instance, model);
}

/**
 * Picks `model` (its name, exactly) of the provider instance `instance` in Plue's model picker, one box of
 * "model · instance" rows that fills in as each instance lists its models.
 */
export async function pickModel(page, instance, model) {
  const input = page.locator('.quick-input-widget input.input[placeholder^="Pick a model"]');
  await input.waitFor();
  await input.fill(model);
  const escaped = model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const row = page.locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escaped}$`) }) })
    .filter({ has: page.locator('.label-description', { hasText: instance }) }).first();
  for (let attempt = 1; ; attempt++) {
    await row.click();
    // A list refreshing its rows (an instance answering) can drop the click: the pick was taken once the box is gone or shows another step.
    const taken = await page.waitForFunction(() => {
      const box = document.querySelector('.quick-input-widget');
      return !box || box.style.display === 'none' || !box.querySelector('input.input')?.placeholder.startsWith('Pick a model');
    }, undefined, { timeout: 5_000 }).then(() => true, () => false);
    if (taken && attempt > 1) noteRetry(`a click on the model "${model}"`, attempt);
    if (taken || attempt === 3) return;
  }
}

/**
 * Goes through Add Provider Instance once it is open: picks the catalog provider, then types the name, the endpoint
 * and the key (masked) into its steps.
 */
export async function fillAddProvider(page, { provider, name, endpoint, key }) {
  await pick(page, provider);
  // Each key goes to the box itself (locator.press focuses it first): the walkthrough redraws as steps complete and
  // can take the focus mid-way, which would send keys typed to the page elsewhere.
  const input = page.locator('.quick-input-widget input.input');
  // By the step's title ("Add Provider Instance (2/4): name"): the provider list still on screen may hold the
  // words "name" or "endpoint" in its rows, and typing into it then goes astray.
  const stepTitled = label => page.locator('.quick-input-widget .quick-input-title', { hasText: new RegExp(`\\(\\d+/\\d+\\): ${label}$`) });
  // A busy extension host can lose an Enter (the step stays, its text typed): press it again while the step shows.
  const accept = async (step, next) => {
    for (let attempt = 1; attempt < 3; attempt++) {
      await input.press('Enter');
      if (await next.waitFor({ timeout: 10_000 }).then(() => true, () => false) || !await step.isVisible()) {
        if (attempt > 1) noteRetry('Enter on a step of Add Provider Instance', attempt);
        break;
      }
    }
    await next.waitFor();
  };
  await stepTitled('name').waitFor();
  await input.fill(name);
  await accept(stepTitled('name'), stepTitled('endpoint'));
  await input.fill(endpoint);
  const box = page.locator('.quick-input-widget input[type="password"]');
  await accept(stepTitled('endpoint'), box);
  await box.pressSequentially(key, { delay: 2 });
  if (await box.inputValue() !== key) await box.fill(key); // keys lost to a redraw: the box gets the whole key
  await box.press('Enter');
}

/** The Plue webview on screen (the active editor's): its page, inside VS Code's two frames. */
export function visibleWebview(page) {
  return page.frameLocator('iframe.webview.ready[src*="extensionId=plue.plue-vscode"]:visible').frameLocator('#active-frame');
}

/** Types `text` into the visible chat's composer and sends it with Enter. */
export async function sendMessage(page, text) {
  await visibleWebview(page).getByRole('textbox', { name: 'Message' }).click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/**
 * Adds the loopback OpenAI-compatible server at `endpoint` as a Groq instance named "Loopback Groq" (its test must
 * pass), then opens a new chat on its Kimi K2 0905, which starts in Agent mode.
 */
export async function newLoopbackChat(page, endpoint) {
  await runCommand(page, 'Plue: Add Provider Instance');
  await fillAddProvider(page, { provider: 'Groq', name: 'Loopback Groq', endpoint, key: 'loopback-groq-e2e-key-1' });
  await notification(page, 'Loopback Groq works');
  await runCommand(page, 'Plue: New Chat');
  await pickModel(page, 'Loopback Groq', 'Kimi K2 0905');
  await visibleWebview(page).locator('.composer-mode', { hasText: 'Agent' }).waitFor();
}

/** The four kinds of theme, each by a theme of that kind: [the name the picker shows, its kind]. */
export const everyKindOfTheme = [['Dark Modern', 'dark'], ['Dark High Contrast', 'hc-dark'], ['Light High Contrast', 'hc-light'], ['Light Modern', 'light']];

/** Saves `name-<kind>.png` in each kind of theme, `show` waiting for what the screen must hold; ends in Dark Modern. */
export async function inEveryTheme(page, name, show = async () => {}) {
  for (const [theme, kind] of everyKindOfTheme) {
    await setColorTheme(page, theme, kind);
    await show();
    await saveScreenshot(page, `${name}-${kind}.png`);
  }
  await setColorTheme(page, 'Dark Modern', 'dark');
}

/** The workbench's class for each kind of theme. */
const themeClasses = { light: 'vs', dark: 'vs-dark', 'hc-dark': 'hc-black', 'hc-light': 'hc-light' };

/** Applies a colour theme through "Preferences: Color Theme", by the name the picker shows ("Light Modern"), and waits until the workbench wears its `kind` (light, dark, hc-dark, hc-light). */
export async function setColorTheme(page, name, kind) {
  const input = await openPalette(page);
  await input.fill('>Preferences: Color Theme');
  // Not the first row: "Browse Color Themes in Marketplace" sorts before it.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Preferences: Color Theme' }).filter({ hasNotText: 'Marketplace' }).first().click();
  await page.locator('.quick-input-widget input[placeholder*="Select Color Theme"]').waitFor();
  await pick(page, name);
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.locator(`.monaco-workbench.${themeClasses[kind]}`).waitFor();
}

/** The editor tab of a record's settings form ("Groq Settings"). */
export function settingsTab(page, title) {
  return page.locator('.tab', { hasText: `${title} Settings` });
}

/**
 * Runs a context-menu item the way a person does with the keyboard: the pointer on the item focuses it, Enter runs it.
 * Not a click: the menu ignores mouse-ups for its first 100 ms (a guard against the right-click's own), a timer that a
 * busy renderer stretches past any fixed pause, and a click it ignores leaves the menu open. With `shows`, runs it
 * again until that locator appears.
 */
export async function contextMenu(page, target, item, { shows } = {}) {
  const choose = async () => {
    const entry = page.getByRole('menuitem', { name: item });
    // A menu that never showed its item (closed as it opened, the row's hover over it: seen once in a full run, the
    // diff just opened beside the tree) is right-clicked for again, as a person would, after Escape closes what is open.
    for (let attempt = 1; ; attempt++) {
      await target.click({ button: 'right' });
      if (await entry.waitFor({ timeout: 5_000 }).then(() => true, () => false)) {
        if (attempt > 1) noteRetry(`the context menu's "${item}" (right-click)`, attempt);
        break;
      }
      if (attempt === 3) throw new Error(`three right-clicks showed no context menu with "${item}"`);
      await page.keyboard.press('Escape');
    }
    await entry.hover();
    // The menu lives in a shadow root: the item is focused when it is its root's active element.
    await page.waitForFunction(element => element.getRootNode().activeElement === element, await entry.elementHandle());
    await page.keyboard.press('Enter');
    await entry.waitFor({ state: 'detached' });
  };
  // The menu closes, its command not run, when the window loses the focus while it is open (a webview that finishes
  // loading takes it): what the command opens is the proof it ran.
  await (shows ? untilShown(`the context menu's "${item}"`, choose, shows, 15_000) : choose());
}

/** Saves the page as `name` in artifacts/screenshots, toasts and quick inputs at the end of their transitions. */
export async function saveScreenshot(page, name) {
  fs.mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, name), animations: 'disabled' });
}

/** The Customizations view's pane. */
export function customizationsView(page) {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Customizations' }) });
}

/** The Customizations view's row of `label` whose text matches `text`. */
export function customizationRow(page, label, text) {
  return customizationsView(page).getByRole('treeitem', { name: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')},`) }).filter({ hasText: text });
}

/** Shows the Customizations view with the side bar to itself (the other Plue views folded) and wide enough for the rows' descriptions. */
export async function showCustomizationsView(page) {
  await showPlue(page);
  await runCommand(page, 'Plue: Focus on Customizations View');
  for (const other of ['Channels', 'Providers', 'MCP Servers']) {
    const header = page.locator('.part.sidebar .pane-header[aria-expanded="true"]', { hasText: other });
    if (await header.count() > 0) await header.first().click();
  }
  const bar = await page.locator('.part.sidebar').boundingBox();
  if (bar.width < 700) {
    await page.mouse.move(bar.x + bar.width, bar.y + 400);
    await page.mouse.down();
    await page.mouse.move(bar.x + 760, bar.y + 400, { steps: 8 });
    await page.mouse.up();
  }
  await customizationsView(page).getByRole('treeitem', { name: /^Commands/ }).waitFor({ timeout: 60_000 });
}

/**
 * Clicks a tree row until its panel is the active tab: the tree redraws a row when its task's totals arrive, and a
 * click that lands while the row is being replaced opens nothing.
 */
export async function openFromTree(page, treeRow, tabTitle) {
  for (let attempt = 1; ; attempt++) {
    await treeRow.click();
    try {
      await page.locator('.tab.active', { hasText: tabTitle }).waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** Polls `check` until it gives something truthy (which it resolves), else fails saying `what` did not happen within `ms`. */
export async function until(check, what, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise(r => setTimeout(r, 100));
  }
}

/**
 * Hovers a tree row until its tooltip with `text` shows; resolves the tooltip's words on one line. The pointer leaves
 * the row first (a hover needs it to come in), and a running task's row is redrawn as its time passes, which can close
 * a hover as it opens: hovered again, up to six times.
 */
export async function rowTooltip(page, treeRow, text) {
  const hover = page.locator(':is(.monaco-hover, .workbench-hover)', { hasText: text }).first();
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(700, 450);
    await treeRow.hover();
    if (await hover.waitFor({ timeout: 10_000 }).then(() => true, () => false)) break;
    if (attempt === 6) throw new Error(`the row showed no tooltip with "${text}" after six hovers`);
  }
  return (await hover.innerText()).replace(/\s+/g, ' ');
}
