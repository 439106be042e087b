// Bundles the extension (out/extension.js, node) and the webviews: chat and tasks
// (out/webview/chat.js + chat.css, with the codicon font; highlight.js, the code highlighter the page loads when a
// message first shows code), settings (settings.js + settings.css). Everything
// the webview loads is in out/webview: it never fetches remote content.
// `--minify` for the VSIX (vscode:prepublish).
import * as esbuild from 'esbuild';

const minify = process.argv.includes('--minify');
const common = { bundle: true, sourcemap: !minify, minify, logLevel: 'warning' };

await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: ['extension/src/extension.ts'],
    outfile: 'out/extension.js',
    external: ['vscode'],
    format: 'cjs',
    platform: 'node',
    target: 'node20',
  }),
  esbuild.build({
    ...common,
    entryPoints: { chat: 'extension/webview/chat.ts', highlight: 'extension/webview/highlighter.ts', settings: 'extension/webview/settings/settings.ts' },
    outdir: 'out/webview',
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    loader: { '.ttf': 'file' },
    assetNames: '[name]',
  }),
]);
