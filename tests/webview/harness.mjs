// Serves the built chat webview (out/webview) on 127.0.0.1 inside the same HTML
// and CSP the extension uses (extension/src/panel/panelHtml.ts), with a stand-in
// for the VS Code webview API: `acquireVsCodeApi()` records what the webview
// posts in `window.__posted`, and the test delivers host messages with
// `window.postMessage`, as VS Code does. A theme stylesheet supplies the
// `--vscode-*` variables VS Code would inject.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { after, before } from 'node:test';
import * as esbuild from 'esbuild';
import { launchBrowser } from '../support/browser.mjs';
import { repoRoot } from '../support/codeServer.mjs';

const webviewDir = path.join(repoRoot, 'out/webview');
export const screenshots = path.join(repoRoot, 'artifacts/screenshots');

/** A test file's harness and chromium: started before its tests, closed after them (read them inside tests). */
export function webviewSuite() {
  const suite = { harness: undefined, browser: undefined };
  before(async () => {
    suite.harness = await startHarness();
    suite.browser = await launchBrowser();
    fs.mkdirSync(screenshots, { recursive: true });
  }, { timeout: 60_000 });
  after(async () => {
    await suite.browser?.close().catch(() => {});
    await suite.harness?.close();
  });
  return suite;
}

/** A module of the extension's own source that imports nothing at run time (type imports are erased), loaded as is. */
export async function loadSource(relativePath) {
  const source = fs.readFileSync(path.join(repoRoot, relativePath), 'utf8');
  const { code } = await esbuild.transform(source, { loader: 'ts', format: 'esm' });
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

/** panelHtml() from the extension's own source, so the page is the one VS Code gets. */
const loadPanelHtml = () => loadSource('extension/src/panel/panelHtml.ts');

const themes = {
  dark: {
    'debugTokenExpression-string': '#ce9178', 'debugTokenExpression-boolean': '#4e94ce', 'debugTokenExpression-number': '#b5cea8', 'debugTokenExpression-name': '#c586c0',
    'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace', 'editor-font-size': '13px',
    foreground: '#cccccc', 'editor-background': '#1f1f1f', 'sideBar-background': '#181818', 'panel-border': '#2b2b2b',
    focusBorder: '#0078d4', descriptionForeground: '#9d9d9d', errorForeground: '#f85149',
    'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1',
    'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'toolbar-hoverBackground': '#5a5d5e50',
    'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c',
    'dropdown-background': '#313131', 'dropdown-foreground': '#cccccc', 'dropdown-border': '#3c3c3c',
    'badge-background': '#616161', 'badge-foreground': '#f8f8f8', 'textLink-foreground': '#4daafc', 'textLink-activeForeground': '#4daafc',
    'textCodeBlock-background': '#2b2b2b', 'textBlockQuote-border': '#616161', 'charts-green': '#89d185',
    'inputValidation-errorBackground': '#5a1d1d', 'inputValidation-errorBorder': '#be1100',
    'inputValidation-warningBackground': '#352a05', 'inputValidation-warningBorder': '#b89500', 'editorWarning-foreground': '#cca700',
    'diffEditor-insertedLineBackground': '#9bb95533', 'diffEditor-removedLineBackground': '#ff000033', 'testing-iconPassed': '#73c991',
    'button-secondaryHoverBackground': '#3c3c3c', 'editor-foreground': '#cccccc',
    'textPreformat-foreground': '#d7ba7d', 'textPreformat-background': '#ffffff1a',
  },
  light: {
    'debugTokenExpression-string': '#a31515', 'debugTokenExpression-boolean': '#0000ff', 'debugTokenExpression-number': '#098658', 'debugTokenExpression-name': '#9b46b0',
    'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace', 'editor-font-size': '13px',
    foreground: '#3b3b3b', 'editor-background': '#ffffff', 'sideBar-background': '#f8f8f8', 'panel-border': '#e5e5e5',
    focusBorder: '#005fb8', descriptionForeground: '#3b3b3b', errorForeground: '#f85149',
    'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8',
    'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'toolbar-hoverBackground': '#b8b8b850',
    'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece',
    'dropdown-background': '#ffffff', 'dropdown-foreground': '#3b3b3b', 'dropdown-border': '#cecece',
    'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b', 'textLink-foreground': '#005fb8', 'textLink-activeForeground': '#005fb8',
    'textCodeBlock-background': '#f2f2f2', 'textBlockQuote-border': '#e5e5e5', 'charts-green': '#388a34',
    'inputValidation-errorBackground': '#f2dede', 'inputValidation-errorBorder': '#be1100',
    'inputValidation-warningBackground': '#f6f5d2', 'inputValidation-warningBorder': '#b89500', 'editorWarning-foreground': '#bf8803',
    'diffEditor-insertedLineBackground': '#9ccc2c40', 'diffEditor-removedLineBackground': '#ff000033', 'testing-iconPassed': '#388a34',
    'button-secondaryHoverBackground': '#cccccc', 'editor-foreground': '#3b3b3b',
    'textPreformat-foreground': '#a31515', 'textPreformat-background': '#0000001a',
  },
  // The high-contrast themes' own colours (VS Code's colour registry): textPreformat is inverted there, which is
  // what VS Code's default webview style gives a bare <code>.
  hcDark: {
    'debugTokenExpression-string': '#f48771', 'debugTokenExpression-boolean': '#75bdfe', 'debugTokenExpression-number': '#89d185', 'debugTokenExpression-name': '#ffffff',
    'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace', 'editor-font-size': '13px',
    foreground: '#ffffff', 'editor-foreground': '#ffffff', 'editor-background': '#000000', 'sideBar-background': '#000000', 'panel-border': '#6fc3df',
    contrastBorder: '#6fc3df', focusBorder: '#f38518', descriptionForeground: '#ffffffb3', errorForeground: '#f48771',
    'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df', 'button-hoverBackground': '#000000',
    'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff', 'toolbar-hoverBackground': '#000000',
    'input-background': '#000000', 'input-foreground': '#ffffff', 'input-border': '#6fc3df',
    'dropdown-background': '#000000', 'dropdown-foreground': '#ffffff', 'dropdown-border': '#6fc3df',
    'badge-background': '#000000', 'badge-foreground': '#ffffff', 'textLink-foreground': '#21a6ff', 'textLink-activeForeground': '#21a6ff',
    'textCodeBlock-background': '#000000', 'textBlockQuote-border': '#ffffff', 'charts-green': '#89d185',
    'textPreformat-foreground': '#000000', 'textPreformat-background': '#ffffff',
    'inputValidation-errorBackground': '#000000', 'inputValidation-errorBorder': '#f38518',
    'inputValidation-warningBackground': '#000000', 'inputValidation-warningBorder': '#6fc3df', 'editorWarning-foreground': '#fff600',
    'diffEditor-insertedLineBackground': '#33ff2e33', 'diffEditor-removedLineBackground': '#ff000033', 'testing-iconPassed': '#73c991',
    'button-secondaryHoverBackground': '#000000',
  },
  hcLight: {
    'debugTokenExpression-string': '#a31515', 'debugTokenExpression-boolean': '#0000ff', 'debugTokenExpression-number': '#098658', 'debugTokenExpression-name': '#292929',
    'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace', 'editor-font-size': '13px',
    foreground: '#292929', 'editor-foreground': '#292929', 'editor-background': '#ffffff', 'sideBar-background': '#ffffff', 'panel-border': '#0f4a85',
    contrastBorder: '#0f4a85', focusBorder: '#006bbd', descriptionForeground: '#292929b3', errorForeground: '#b5200d',
    'button-background': '#0f4a85', 'button-foreground': '#ffffff', 'button-border': '#0f4a85', 'button-hoverBackground': '#0f4a85',
    'button-secondaryBackground': '#ffffff', 'button-secondaryForeground': '#292929', 'toolbar-hoverBackground': '#ffffff',
    'input-background': '#ffffff', 'input-foreground': '#292929', 'input-border': '#0f4a85',
    'dropdown-background': '#ffffff', 'dropdown-foreground': '#292929', 'dropdown-border': '#0f4a85',
    'badge-background': '#0f4a85', 'badge-foreground': '#ffffff', 'textLink-foreground': '#0f4a85', 'textLink-activeForeground': '#0f4a85',
    'textCodeBlock-background': '#f2f2f2', 'textBlockQuote-border': '#292929', 'charts-green': '#374e06',
    'textPreformat-foreground': '#ffffff', 'textPreformat-background': '#09345f',
    'inputValidation-errorBackground': '#ffffff', 'inputValidation-errorBorder': '#b5200d',
    'inputValidation-warningBackground': '#ffffff', 'inputValidation-warningBorder': '#895503', 'editorWarning-foreground': '#895503',
    'diffEditor-insertedLineBackground': '#9ccc2c40', 'diffEditor-removedLineBackground': '#ff000033', 'testing-iconPassed': '#374e06',
    'button-secondaryHoverBackground': '#ffffff',
  },
};

/** What VS Code puts first in every webview's head (its default styles for code), so a page's own CSS must win over it. */
const vscodeDefaultStyle = `code { color: var(--vscode-textPreformat-foreground); background-color: var(--vscode-textPreformat-background); padding: 1px 3px; border-radius: 4px; }
pre code { padding: 0; }
a, a code { color: var(--vscode-textLink-foreground); }`;

function themeCss(name) {
  const vars = Object.entries(themes[name]).map(([k, v]) => `--vscode-${k}: ${v};`).join('\n  ');
  return `html {\n  ${vars}\n}\n`;
}

const types = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html' };

/** Starts the server; `pageUrl(theme, kind)` is the chat page, or with kind `task` a task panel's (task id t1). */
export async function startHarness() {
  if (!fs.existsSync(path.join(webviewDir, 'chat.js'))) throw new Error('out/webview/chat.js is missing: run `npm run build` first');
  const { panelHtml, webviewPage } = await loadPanelHtml();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const origin = `http://127.0.0.1:${server.address().port}`;
    // A page of the same origin with no CSP, to frame a panel's page in as the workbench does.
    if (url.pathname === '/workbench.html') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body></body></html>');
      return;
    }
    if (url.pathname === '/chat.html') {
      const kind = url.searchParams.get('kind') ?? 'chat';
      const html = panelHtml({ cspSource: origin, nonce: 'testnonce0123456789', scriptUri: `${origin}/webview/chat.js`, styleUri: `${origin}/webview/${url.searchParams.has('noStyle') ? 'missing' : 'chat'}.css`, sessionId: kind === 'task' ? 't1' : 's1', kind })
        .replace('<head>', `<head>\n\t<style nonce="testnonce0123456789">${vscodeDefaultStyle}</style>`)
        .replace('</head>', `\t<link rel="stylesheet" href="${origin}/theme-${url.searchParams.get('theme') ?? 'dark'}.css">\n</head>`);
      res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      return;
    }
    if (url.pathname === '/settings.html') {
      const html = webviewPage({ cspSource: origin, nonce: 'testnonce0123456789', scriptUri: `${origin}/webview/settings.js`, styleUri: `${origin}/webview/settings.css`, title: 'Plue Settings', body: { target: url.searchParams.get('target') ?? 'record:r1' } })
        .replace('<head>', `<head>\n\t<style nonce="testnonce0123456789">${vscodeDefaultStyle}</style>`)
        .replace('</head>', `\t<link rel="stylesheet" href="${origin}/theme-${url.searchParams.get('theme') ?? 'dark'}.css">\n</head>`);
      res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      return;
    }
    const theme = /^\/theme-(dark|light|hcDark|hcLight)\.css$/.exec(url.pathname);
    if (theme) {
      res.writeHead(200, { 'content-type': 'text/css' }).end(themeCss(theme[1]));
      return;
    }
    const file = url.pathname.startsWith('/webview/') ? path.join(webviewDir, path.basename(url.pathname)) : undefined;
    if (!file || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    /** `noStyle`: the page's stylesheet fails to load, as a webview's resource host can after a reload. */
    pageUrl: (theme = 'dark', kind = 'chat', noStyle = false) => `${origin}/chat.html?theme=${theme}&kind=${kind}${noStyle ? '&noStyle' : ''}`,
    /** The settings page (out/webview/settings.js) showing `target` (a form's or the home's). */
    settingsUrl: (theme = 'dark', target = 'record:r1') => `${origin}/settings.html?theme=${theme}&target=${encodeURIComponent(target)}`,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

/**
 * Posts a message to the page as the host does, and returns once the page has handled it. Window messages arrive in
 * order, so a marker posted after it is seen only when the page's handler has run; a read right after a bare
 * postMessage races that handler.
 */
export async function fromHost(page, message) {
  await page.evaluate(m => new Promise(resolve => {
    const marker = { type: 'harness.handled', id: Math.random() };
    const seen = event => {
      if (event.data?.type !== marker.type || event.data.id !== marker.id) return;
      window.removeEventListener('message', seen);
      resolve();
    };
    window.addEventListener('message', seen);
    window.postMessage(m, '*');
    window.postMessage(marker, '*');
  }), message);
}

/** Runs in the page before the bundle: the stand-in for VS Code's webview API. */
export function vscodeApiShim() {
  window.__posted = [];
  window.__state = undefined;
  window.__xss = 0;
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage: message => { window.__posted.push(JSON.parse(JSON.stringify(message))); },
      getState: () => window.__state,
      setState: state => { window.__state = state; },
    };
  };
}
