import * as vscode from 'vscode';
import { CatalogProviderSummary, CreateInstanceParams } from '../shared/protocol';
import { ownCredentialTypes } from './format';
import { promptForKey, SecretKind } from './pickers';

/**
 * The questions Add Provider Instance asks a provider besides its name, endpoint and key: a Vertex AI project and
 * region and credential, a Bedrock region and credential, Azure deployments, whether an Anthropic secret is a key or an
 * auth token. Each step fills part
 * of the `instances/create` params and answers false when the user cancelled.
 */
export interface ProviderStep {
	/** Shown in the step's title: "Add Provider Instance (3/5): project". */
	label: string;
	/** `who` titles a masked box: "Amazon Bedrock (4/4)". */
	ask(title: string, params: CreateInstanceParams, who: string): Promise<boolean>;
}

/** Providers whose credential is not a plain key: their own steps ask for it, in place of the key step. */
export function asksOwnCredential(provider: CatalogProviderSummary): boolean {
	return ownCredentialTypes.has(provider.type);
}

/** The provider's own steps, in the order asked (after the endpoint). */
export function providerSteps(provider: CatalogProviderSummary): ProviderStep[] {
	switch (provider.type) {
		case 'google-vertex':
			return [
				{ label: 'project', ask: (title, params) => text(params, 'project', { title, prompt: 'The Google Cloud project whose quota and billing the calls use.', placeHolder: 'my-project-id', required: true }) },
				{ label: 'region', ask: (title, params) => text(params, 'region', { title, prompt: 'A location such as us-east5 or europe-west1. Leave empty for global.', placeHolder: 'global' }) },
				{ label: 'credential', ask: (title, params) => googleCredential(title, params) },
			];
		case 'bedrock':
			return [
				{ label: 'region', ask: (title, params) => text(params, 'region', { title, prompt: `An AWS region such as us-west-2. Leave empty for the catalog's (${regionOf(provider.defaultEndpoint)}).`, placeHolder: regionOf(provider.defaultEndpoint) }) },
				{ label: 'credential', ask: (title, params, who) => awsCredential(title, params, who) },
			];
		case 'azure':
			return [{ label: 'deployments', ask: (title, params) => deployments(title, params) }];
		case 'anthropic':
			return [{ label: 'credential', ask: (title, params) => anthropicCredential(title, params, provider) }];
		default:
			return [];
	}
}

interface TextOptions {
	title: string;
	prompt: string;
	placeHolder: string;
	required?: boolean;
}

/** One text field of the params; empty leaves it unset (the sidecar's default). */
async function text(params: CreateInstanceParams, field: 'project' | 'region' | 'profile', options: TextOptions): Promise<boolean> {
	const value = await vscode.window.showInputBox({
		title: options.title,
		prompt: options.prompt,
		placeHolder: options.placeHolder,
		ignoreFocusOut: true,
		validateInput: v => (options.required && v.trim() === '' ? `Enter the ${field}.` : /\s/.test(v.trim()) ? `A ${field} has no spaces.` : undefined),
	});
	if (value === undefined) {
		return false;
	}
	if (value.trim() !== '') {
		params[field] = value.trim();
	}
	return true;
}

function regionOf(endpoint: string | null): string {
	return /bedrock-runtime\.([a-z0-9-]+)\.amazonaws\.com/.exec(endpoint ?? '')?.[1] ?? 'us-east-1';
}

interface Choice<T> extends vscode.QuickPickItem {
	value: T;
}

async function choose<T>(title: string, placeHolder: string, items: Choice<T>[]): Promise<T | undefined> {
	return (await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true }))?.value;
}

/** A service account's JSON key file (read here, its content kept only in the vault) or application-default credentials. */
async function googleCredential(title: string, params: CreateInstanceParams): Promise<boolean> {
	const kind = await choose(title, 'How Plue signs in to Google Cloud', [
		{ label: 'Service account key file', detail: 'A JSON key downloaded for a service account; its content is stored encrypted in the Plue vault.', value: 'file' as const },
		{ label: 'Application-default credentials', detail: 'What `gcloud auth application-default login` or GOOGLE_APPLICATION_CREDENTIALS gives, read at each call.', value: 'adc' as const },
	]);
	if (kind !== 'file') {
		return kind === 'adc';
	}
	let content = '';
	const path = await vscode.window.showInputBox({
		title,
		prompt: 'The path of the service account\'s JSON key file.',
		placeHolder: '/path/to/service-account.json',
		ignoreFocusOut: true,
		validateInput: async value => {
			const read = await readCredentialFile(value.trim());
			content = read.content ?? '';
			return read.problem;
		},
	});
	if (path === undefined) {
		return false;
	}
	if (!content) {
		content = (await readCredentialFile(path.trim())).content ?? '';
	}
	params.apiKey = content;
	return content !== '';
}

async function readCredentialFile(path: string): Promise<{ content?: string; problem?: string }> {
	if (path === '') {
		return { problem: 'Enter the path of the key file.' };
	}
	let content: string;
	try {
		content = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(path)));
	} catch {
		return { problem: 'No such file: check the path.' };
	}
	try {
		const type = (JSON.parse(content) as { type?: unknown }).type;
		return type === 'service_account' || type === 'authorized_user' ? { content } : { problem: 'This JSON is not a service account key (its "type" is not service_account).' };
	} catch {
		return { problem: 'This file is not JSON: pick the key file downloaded for the service account.' };
	}
}

/** A profile of ~/.aws (its keys, or its SSO login), an access key kept in the vault, a Bedrock API key, or the environment. */
async function awsCredential(title: string, params: CreateInstanceParams, who: string): Promise<boolean> {
	const kind = await choose(title, 'Where Plue finds the AWS credentials', [
		{ label: 'AWS profile', detail: 'A profile of ~/.aws/credentials, or one signed in with `aws sso login`.', value: 'profile' as const },
		{ label: 'Access key', detail: 'ACCESS_KEY_ID:SECRET_ACCESS_KEY, stored encrypted in the Plue vault.', value: 'accessKey' as const },
		{ label: 'Bedrock API key', detail: 'Sent as a bearer token; stored encrypted in the Plue vault.', value: 'apiKey' as const },
		{ label: 'Environment', detail: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, read at each call.', value: 'environment' as const },
	]);
	switch (kind) {
		case 'profile':
			return text(params, 'profile', { title, prompt: 'The profile\'s name in ~/.aws/config or ~/.aws/credentials. Leave empty for AWS_PROFILE, else default.', placeHolder: 'default' });
		case 'accessKey':
			return secret(params, who, { what: 'Access key', check: key => (/^[^:\s]+:[^:\s]+$/.test(key) ? undefined : 'Enter ACCESS_KEY_ID:SECRET_ACCESS_KEY.') });
		case 'apiKey':
			params.credential = 'authToken';
			return secret(params, who, { what: 'Bedrock API key' });
		case 'environment':
			return true;
		default:
			return false;
	}
}

/** Model id = deployment lines, for deployments not named after their model. */
async function deployments(title: string, params: CreateInstanceParams): Promise<boolean> {
	const value = await vscode.window.showInputBox({
		title,
		prompt: 'Deployments not named after their model, as model=deployment separated by commas. Leave empty when each deployment has its model\'s name.',
		placeHolder: 'gpt-5=my-gpt5, gpt-5-mini=mini-prod',
		ignoreFocusOut: true,
		validateInput: v => (parseDeployments(v) ? undefined : 'Write model=deployment pairs separated by commas, such as gpt-5=my-gpt5.'),
	});
	const parsed = value === undefined ? undefined : parseDeployments(value);
	if (!parsed) {
		return false;
	}
	if (Object.keys(parsed).length > 0) {
		params.deployments = parsed;
	}
	return true;
}

export function parseDeployments(value: string): Record<string, string> | undefined {
	const pairs = value.split(',').map(p => p.trim()).filter(p => p !== '');
	const result: Record<string, string> = {};
	for (const pair of pairs) {
		const match = /^([^=\s]+)\s*=\s*([^=\s]+)$/.exec(pair);
		if (!match) {
			return undefined;
		}
		result[match[1]] = match[2];
	}
	return result;
}

/** An API key (x-api-key) or an auth token (Authorization: Bearer), from a gateway or an organisation; the key step then asks for it. */
async function anthropicCredential(title: string, params: CreateInstanceParams, provider: CatalogProviderSummary): Promise<boolean> {
	const kind = await choose(title, `What ${provider.name} is given`, [
		{ label: 'API key', detail: 'Sent as x-api-key, as Anthropic\'s console issues them.', value: 'apiKey' as const },
		{ label: 'Auth token', detail: 'Sent as Authorization: Bearer: a gateway\'s or your organisation\'s token.', value: 'authToken' as const },
	]);
	if (kind === 'authToken') {
		params.credential = 'authToken';
	}
	return kind !== undefined;
}

/** A masked box whose answer goes to the vault through `instances/create`. */
async function secret(params: CreateInstanceParams, who: string, kind: SecretKind): Promise<boolean> {
	const key = await promptForKey(who, undefined, kind);
	if (key === undefined) {
		return false;
	}
	params.apiKey = key;
	return true;
}
