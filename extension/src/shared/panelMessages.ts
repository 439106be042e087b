/**
 * The messages a chat or task panel's webview and its controller
 * (chat/ChatController, tasks/TaskController) exchange over `postMessage`, shared by both
 * sides (the webview bundle imports this file). Each side handles the other's
 * union in one `switch` on `type`.
 */
import type { AgentTask, Attachment, Checkpoint, PartKind, QueuedMessage, Session, SessionMessage } from './protocol';
import type { TemplateLooks } from './settingsMessages';
import type { ApprovalDecision, ApprovalPrompt, ApprovalScope } from './approvalPrompt';

/** Host → webview. */
export type HostMessage =
	/** The session and its latest messages: sent after `ready` and when a sidecar (re)starts. `hasMore`: older ones exist. */
	| { type: 'init'; session: Session; messages: SessionMessage[]; hasMore: boolean; instanceName?: string; looks?: TemplateLooks; modeName?: string; sandboxPolicy?: string }
	/** Older messages, answering `loadEarlier`: they go above the ones shown. */
	| { type: 'earlier'; messages: SessionMessage[]; hasMore: boolean }
	/** The session changed (usage, cost, status, title, model, mode). `modeName`: the mode's name for the composer; `sandboxPolicy`: its commands' sandbox, in words, for the header. */
	| { type: 'session'; session: Session; instanceName?: string; looks?: TemplateLooks; modeName?: string; sandboxPolicy?: string }
	/** A message's full state (`session/messageUpdated`, or a turn's result): replaces the webview's copy in place, or is appended. */
	| { type: 'message'; message: SessionMessage }
	/** Text streamed into one part of one message. */
	| { type: 'partDelta'; messageId: string; partId: string; kind: PartKind; delta: string }
	/** Whether a send / regenerate / edit request is in flight (shows Stop). */
	| { type: 'busy'; busy: boolean }
	/** An error to show in the panel; `undefined` clears it. */
	| { type: 'error'; text: string | undefined }
	/** Puts the keyboard focus in the composer ("Plue: Focus Chat"). */
	| { type: 'focusComposer' }
	/** The `@` menu's entries for what was typed after the `@` (`query`), answering `mentionSearch`. */
	| { type: 'mentionResults'; query: string; items: MentionItem[] }
	/** The `/` menu's entries for `query` (the MCP servers' prompts), answering `promptSearch`. */
	| { type: 'promptResults'; query: string; items: MentionItem[] }
	/** A chosen prompt's text, in place of the composer's text (its chips stay). */
	| { type: 'promptText'; text: string }
	/** Adds a chip to the composer (a picked file, or "Add Selection to Chat"). */
	/**
	 * `mention`: chosen in the `@` menu; the words that stand for it in the sentence ("the page https://…", a file's
	 * path), written where the `@` was so the message never has a hole.
	 */
	| { type: 'addAttachment'; attachment: Attachment; mention?: string }
	/** Task panels: the task and its latest messages, sent after `ready` and when a sidecar (re)starts. `hasMore`: older ones exist. */
	| { type: 'taskInit'; task: AgentTask; messages: SessionMessage[]; hasMore: boolean; templateName?: string; looks?: TemplateLooks }
	/** Task panels: the task changed (status, usage, cost, turns). */
	| { type: 'task'; task: AgentTask; templateName?: string; looks?: TemplateLooks }
	/** A new task's goal panel: what the task will be (`heading`), and the draft to show (the text typed so far, or one the sidecar refused). */
	| { type: 'goalDraft'; heading: string; text: string; attachments: Attachment[]; imagesRefused: string }
	/** The questions waiting for the user's approval in this panel (all of them; empty clears the cards). */
	| { type: 'approvals'; approvals: ApprovalPrompt[] }
	/** The transcript's checkpoints (`checkpoint/list`): each turn that changed files, shown on its user message. */
	| { type: 'checkpoints'; checkpoints: Checkpoint[] }
	/** Puts text in the composer: a message a conversation restore removed, to send again or change. */
	| { type: 'draft'; text: string }
	/** A chat's queue (`session/queueChanged`): the messages sent while it answers, in the order they will be sent. */
	| { type: 'queued'; queued: QueuedMessage[] }
	/** What runs without asking in this chat here: the mode's tools, this workspace's and this chat's grants. */
	| { type: 'autoApproved'; rows: AutoApprovedRow[] };

/** Webview → host. */
export type WebviewMessage =
	/** The webview has loaded and wants `init`. */
	| { type: 'ready' }
	/** The page's stylesheet did not load (the webview's resource host failed): the host renders the page again. */
	| { type: 'assetsFailed' }
	| { type: 'send'; text: string; attachments: Attachment[] }
	/** `/compact [focus]` in a chat's composer: summarise the conversation so far now. */
	| { type: 'compact'; focus?: string }
	/** `/system <text>` in a chat's composer: a system message the model reads from the next turn on. */
	| { type: 'addSystem'; text: string }
	/** Stop the reply being generated. */
	| { type: 'cancel' }
	| { type: 'regenerate' }
	| { type: 'editAndResend'; messageId: string; text: string }
	| { type: 'fork'; messageId: string }
	/** A plan card's Start: Agent mode carries out the plan on that message in this chat; `asTask`: an agent task does instead. */
	| { type: 'startPlan'; messageId: string; asTask?: boolean }
	/** A link of the empty chat: runs one of the commands the host allows (Add Provider, Run Task). */
	| { type: 'runCommand'; command: string }
	/** Rename the chat (an input box in the host). */
	| { type: 'rename' }
	/** Choose another instance and model (a quick pick in the host). */
	| { type: 'pickModel' }
	/** Choose the chat's mode (a quick pick in the host): Ask, Agent or one of the user's. */
	| { type: 'pickMode' }
	/** Open the chat's own settings form (the header's gear). */
	| { type: 'openSettings' }
	/** Pick a workspace file to attach (an open dialog in the host); an image is attached as an image. */
	| { type: 'addFile' }
	/** Pick an image to attach (an open dialog for PNG, JPEG, GIF and WebP). */
	| { type: 'addImage' }
	/** The user typed `@query` in the composer: the host answers `mentionResults`. */
	| { type: 'mentionSearch'; query: string }
	/** An `@` menu entry was chosen: the host answers with its attachment (`addAttachment`). */
	| { type: 'mention'; item: MentionItem }
	/** `/` at the start of the composer, and what follows: the prompts to offer. */
	| { type: 'promptSearch'; query: string }
	/** A prompt chosen in the `/` menu: the host asks for its arguments and answers `promptText`. */
	| { type: 'usePrompt'; item: MentionItem }
	/** Fetch the page of messages before the oldest one shown. */
	| { type: 'loadEarlier' }
	/** Code block actions. */
	| { type: 'copy'; text: string }
	| { type: 'insert'; text: string }
	/** Opens the code in a diff editor against `path` (the block's info string named it) or the last editor, to accept or reject. */
	| { type: 'apply'; text: string; path?: string }
	/** A link in a message was clicked; the host checks it before opening. */
	| { type: 'openLink'; href: string }
	/** An approval card's answer; `message` is told to the model (a spend cap's: the new cap in USD). */
	| { type: 'answerApproval'; id: string; decision: ApprovalDecision; scope?: ApprovalScope; message?: string; commandPrefix?: string; pathGlob?: string; host?: string }
	/** A write or edit approval card's Show Diff: the change in the diff editor, before answering. */
	| { type: 'showApprovalDiff'; id: string }
	/** A composer row's Revoke: deletes that grant (`permissions/reset {id}`). */
	| { type: 'revokeGrant'; id: string }
	/** A sandbox denial's card: run that call again with what was denied allowed once, or always for this workspace (a grant). */
	| { type: 'allowSandbox'; partId: string; always: boolean }
	/** A checkpoint's Restore: to before that user message's turn (the host asks what: files, conversation, both). */
	| { type: 'restoreCheckpoint'; messageId: string }
	/** A checkpoint's Show Diff: the turn's changes in VS Code's diff editor. */
	| { type: 'showCheckpointDiff'; checkpointId: string }
	/** A queued message's Send now: the answer stops where it is and the message is sent at once. */
	| { type: 'steer'; id: string }
	/** A queued message's new text (its Edit). */
	| { type: 'queueEdit'; id: string; text: string }
	/** A queued message's Remove: it is not sent. */
	| { type: 'queueRemove'; id: string }
	/** Task panels: stop the task and its sub-tasks. */
	| { type: 'interrupt' }
	/** Task panels: continue a paused, cancelled or failed task. */
	| { type: 'resume' };

/**
 * One entry of the composer's `@` menu: a fixed one (the active file, the selection, the problems, the git diff, the
 * terminal's last command) or a workspace path.
 */
export interface MentionItem {
	kind: 'activeFile' | 'selection' | 'problems' | 'gitDiff' | 'terminal' | 'url' | 'codebase' | 'file' | 'folder' | 'mcpResource' | 'mcpPrompt' | 'command';
	label: string;
	description?: string;
	/** file and folder: relative to the workspace, forward slashes. */
	path?: string;
	/** mcpResource and mcpPrompt: its server's slug. */
	server?: string;
	/** mcpResource: its URI on its server; url: the address typed after `@` (else the host asks for one). */
	uri?: string;
	/** mcpPrompt: its name on its server. */
	prompt?: string;
	/** command (the `/` menu's `/compact`, `/system` and commands from files): its name, typed after the `/`. */
	command?: string;
}

/** What the webview keeps with `setState`, so the panel can be restored after a reload (a task panel keeps the task id). */
export interface PanelWebviewState {
	sessionId: string;
}

const webviewMessageTypes: ReadonlySet<string> = new Set<WebviewMessage['type']>([
	'ready', 'assetsFailed', 'send', 'compact', 'addSystem', 'cancel', 'regenerate', 'editAndResend', 'fork', 'startPlan', 'rename', 'runCommand', 'pickModel', 'pickMode', 'openSettings', 'addFile', 'addImage', 'mentionSearch', 'mention', 'promptSearch', 'usePrompt', 'loadEarlier', 'copy', 'insert', 'apply', 'openLink',
	'answerApproval', 'showApprovalDiff', 'revokeGrant', 'allowSandbox', 'restoreCheckpoint', 'showCheckpointDiff', 'interrupt', 'resume', 'steer', 'queueEdit', 'queueRemove',
]);

/** The host's check of what a webview posts (it arrives as `any`): a known `type`. */
export function isWebviewMessage(value: unknown): value is WebviewMessage {
	return typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string' && webviewMessageTypes.has(value.type);
}

/** One thing that runs without asking in a chat: `what` (`bash \`npm test\``), `where` ("in this workspace", "by the mode Agent"), and the grant to revoke (none for a mode's tool). */
export interface AutoApprovedRow {
	what: string;
	where: string;
	grantId?: string;
}
