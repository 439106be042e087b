import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vscode from 'vscode';
import type { PlueApi } from '../host/plueApi';
import type { Attachment, Session } from '../../../extension/src/shared/protocol';
import { activatePlue, within } from './support';

// The composer's `@git diff` and `@terminal`: VS Code's Git extension reads the workspace's uncommitted changes, shell
// integration the terminal's last command; each becomes an attachment that reaches the provider's request (a loopback
// OpenAI-compatible server run in this extension host), sent the way the chat panel sends it.

interface ChatRequest { body: { messages: { role: string; content?: unknown }[] } }
interface FakeProvider { endpoint: string; chats(): ChatRequest[]; close(): Promise<void> }
type StartFake = (options: { replies: { text: string }[] }) => Promise<FakeProvider>;

suite('Plue @git diff and @terminal mentions', () => {
	let api: PlueApi;
	let provider: FakeProvider;
	let workspace: string;
	let session: Session;
	const made: string[] = [];

	const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=IT', '-c', 'user.email=it@example.invalid', ...args], { cwd: workspace, encoding: 'utf8' });
	const write = (name: string, text: string): void => {
		fs.writeFileSync(path.join(workspace, name), text);
		made.push(name);
	};

	/** Sends `attachment` with a question, as the chat panel does, and returns what the provider was asked. */
	async function sent(attachment: Attachment): Promise<string> {
		const before = provider.chats().length;
		await api.client?.sendRequest('session/send', { sessionId: session.id, text: 'What changed?', attachments: [attachment] });
		assert.equal(provider.chats().length, before + 1, 'the provider was not asked');
		return JSON.stringify(provider.chats().at(-1)?.body.messages);
	}

	suiteSetup(async () => {
		api = await activatePlue();
		await within(30_000, api.whenState('running'), 'the sidecar to run');
		workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
		assert.ok(workspace, 'the suite runs with a workspace folder');
		const fake = path.resolve(__dirname, '../../../tests/e2e/support/fakeOpenAI.mjs');
		const { startFakeOpenAI } = await import(pathToFileURL(fake).href) as { startFakeOpenAI: StartFake };
		provider = await startFakeOpenAI({ replies: [{ text: 'Seen.' }] });
		const instance = await api.providers.create({ displayName: 'IT Mentions Groq', catalogProviderId: 'groq', endpoint: provider.endpoint, apiKey: 'gsk_it_mentions_key_0123456789' });
		const created = await api.client?.sendRequest<Session>('session/create', { instanceId: instance.id, modelId: 'moonshotai/kimi-k2-instruct-0905', title: 'IT mentions' });
		assert.ok(created, 'no chat was made');
		session = created;
	});

	suiteTeardown(async () => {
		for (const terminal of vscode.window.terminals) {
			terminal.dispose();
		}
		fs.rmSync(path.join(workspace, '.git'), { recursive: true, force: true });
		for (const name of made) {
			fs.rmSync(path.join(workspace, name), { force: true });
		}
		await provider?.close();
	});

	test('@terminal before any command says what to do', async () => {
		assert.equal(vscode.window.terminals.length, 0, 'a terminal is open already');
		await assert.rejects(api.mentions.attachment({ kind: 'terminal', label: 'Terminal' }), /open a terminal and run a command first/);
	});

	test('@git diff: staged and unstaged changes against HEAD, new files by name, in the provider\'s request', async () => {
		git('init', '-q', '-b', 'main');
		write('tracked.txt', 'one\n');
		git('add', 'tracked.txt');
		git('commit', '-q', '-m', 'first');
		write('tracked.txt', 'one\ntwo, not staged\n');
		write('staged.txt', 'a staged line\n');
		git('add', 'staged.txt');
		write('brand-new.txt', 'untracked\n');

		const menu = await api.mentions.search('git');
		assert.deepEqual(menu.filter(item => item.kind === 'gitDiff').map(item => item.label), ['Git diff']);
		const attachment = await api.mentions.attachment({ kind: 'gitDiff', label: 'Git diff' });
		assert.equal(attachment.path, 'Git diff');
		assert.equal(attachment.language, 'diff');
		const content = attachment.content ?? '';
		assert.match(content, /^Uncommitted changes in .* \(branch main\):/);
		assert.match(content, /Staged:\n[^]*\+a staged line/);
		assert.match(content, /Not staged:\n[^]*\+two, not staged/);
		assert.match(content, /Untracked files \(new, not in the diff\): .*brand-new\.txt/);
		assert.ok(content.indexOf('+a staged line') < content.indexOf('Not staged:'), 'the staged change is not under "Staged"');

		const request = await sent(attachment);
		assert.match(request, /Attached file Git diff:/);
		assert.match(request, /\+two, not staged/);
		assert.match(request, /\+a staged line/);
	});

	test('@git diff: a large diff is cut at a line and says so', async () => {
		write('tracked.txt', Array.from({ length: 4000 }, (_, i) => `line ${i} of a long change to this file`).join('\n') + '\n');
		const content = (await api.mentions.attachment({ kind: 'gitDiff', label: 'Git diff' })).content ?? '';
		assert.match(content, /\n… the diff is cut here at 64 KB of \d+ KB: \d+ more lines left out\.$/);
		assert.ok(content.length < 66 * 1024, `the cut diff is ${content.length} characters`);
		assert.match(content, /\+line 0 of a long change/, 'the cut diff lost its start');
	});

	test('@terminal: the active terminal\'s last command, its exit code and its output without escape sequences, in the provider\'s request', async () => {
		const terminal = vscode.window.createTerminal({ name: 'IT shell', shellPath: '/bin/bash' });
		terminal.show();
		const integration = terminal.shellIntegration ?? await within(30_000, new Promise<vscode.TerminalShellIntegration>(resolve => {
			const subscription = vscode.window.onDidChangeTerminalShellIntegration(event => {
				if (event.terminal === terminal) {
					subscription.dispose();
					resolve(event.shellIntegration);
				}
			});
		}), 'bash\'s shell integration');
		const ended = new Promise<void>(resolve => {
			const subscription = vscode.window.onDidEndTerminalShellExecution(event => {
				if (event.terminal === terminal) {
					subscription.dispose();
					resolve();
				}
			});
		});
		// The pause puts the output in a later chunk than the command's start, which VS Code's shell integration reports.
		integration.executeCommand('sleep 0.5; printf "\\033[31mred-%s\\033[0m\\n" $((6*7)); echo second line; false');
		await within(30_000, ended, 'the command to end');

		const [item] = (await api.mentions.search('term')).filter(entry => entry.kind === 'terminal');
		assert.match(item?.description ?? '', /sleep 0\.5; printf .* in IT shell$/);
		const attachment = await api.mentions.attachment({ kind: 'terminal', label: 'Terminal' });
		assert.equal(attachment.path, 'Terminal');
		const content = attachment.content ?? '';
		assert.match(content, /^\$ sleep 0\.5; printf "\\033\[31mred-%s/);
		assert.match(content, /\(exit code 1, in the terminal "IT shell"\)/);
		assert.match(content, /\nred-42\nsecond line/);
		assert.ok(!content.split('\n').slice(1).join('\n').includes('\u001b'), 'escape sequences were left in the output');

		const request = await sent(attachment);
		assert.match(request, /Attached file Terminal:/);
		assert.match(request, /red-42\\nsecond line/);
	});
});
