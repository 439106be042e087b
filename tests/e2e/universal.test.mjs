// End to end: the universal VSIX (framework-dependent sidecar, for platforms without a VSIX of their own) in a
// code-server with no `dotnet` to be found and no .NET Install Tool: the user is told what to install, with a
// button for each way, instead of a sidecar that silently never starts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { repoRoot } from '../support/codeServer.mjs';
import { environmentWithoutDotnet } from './support/noDotnet.mjs';
import { openWorkbench, saveScreenshot, test } from './support/workbench.mjs';

const universal = path.join(repoRoot, 'artifacts/plue-vscode-universal.vsix');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-universal-e2e-'));
const workspace = path.join(scratch, 'project');

let workbench;
let page;

before(async () => {
  assert.ok(fs.existsSync(universal), `${universal} is missing: run \`npm run package\``);
  const manifest = execFileSync('unzip', ['-p', universal, 'extension.vsixmanifest'], { encoding: 'utf8' });
  assert.doesNotMatch(manifest, /TargetPlatform=/, 'the universal VSIX names a platform');
  fs.mkdirSync(workspace);
  workbench = await openWorkbench({
    scratch,
    folder: workspace,
    vsix: universal,
    waitForSidecar: false,
    env: { ...environmentWithoutDotnet(scratch), PLUE_HOME: path.join(scratch, 'plue-home') },
  });
  page = workbench.page;
}, { timeout: 150_000 });

after(async () => {
  await workbench?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

test('without .NET 10 the user is told what to install, with a button for each way', { timeout: 90_000 }, async () => {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'needs the .NET 10 runtime' });
  await toast.waitFor({ timeout: 60_000 });
  assert.match(await toast.innerText(), /Install the \.NET Install Tool extension and Plue gets the runtime itself, or install \.NET 10/);
  await toast.getByRole('button', { name: 'Install .NET Install Tool' }).waitFor();
  await toast.getByRole('button', { name: 'Download .NET 10' }).waitFor();
  assert.equal(await page.locator('.notification-toast').count(), 1, 'told more than once (a connection error beside it?)');
  // The status bar item says why too, for whoever closed the notification.
  await page.locator('[id="plue.plue-vscode.plue.status"]', { has: page.locator('.codicon-error') }).waitFor();
  assert.match(await page.locator('[id="plue.plue-vscode.plue.status"]').getAttribute('aria-label'), /needs the \.NET 10 runtime/);
  await page.mouse.move(700, 450);
  await saveScreenshot(page, 'universal-no-dotnet.png');
});
