import * as http from 'node:http';

/** A model server found answering on this machine, as Add Provider Instance offers it. */
export interface LocalServer {
	/** What it answered as: "Ollama", "LM Studio", "llama.cpp", "vLLM" or "OpenAI-compatible server". */
	name: string;
	/** The catalog provider the instance is made from. */
	catalogProviderId: 'ollama' | 'openai-compatible';
	/** The instance's endpoint (an OpenAI-compatible one ends in /v1, as its form asks). */
	endpoint: string;
	/** How many models it lists. */
	modelCount: number;
}

type Kind = 'ollama' | 'openai';

/** How a found server is described beside its name: "3 models · no key needed". */
export function modelCount(server: LocalServer): string {
	return `${server.modelCount} model${server.modelCount === 1 ? '' : 's'} · no key needed`;
}

/** Where the usual local servers listen; PLUE_LOCAL_SERVER_PORTS ("ollama:11434,openai:1234,...") replaces it (tests). */
const usualPorts: [Kind, number][] = [['ollama', 11434], ['openai', 1234], ['openai', 8080], ['openai', 8000]];

/** What an OpenAI-compatible server says it is in /v1/models' `owned_by`, and the name it goes by. */
const ownerNames: Record<string, string> = { llamacpp: 'llama.cpp', vllm: 'vLLM', organization_owner: 'LM Studio' };

/**
 * The local servers answering on their usual ports, each identified by what it answers (Ollama's /api/version and
 * /api/tags, an OpenAI-compatible /v1/models), not by its port: a web app on 8080 is not offered. Probes at once, each
 * given up after `timeoutMs`; never throws.
 */
export async function findLocalServers(timeoutMs = 500): Promise<LocalServer[]> {
	const found = await Promise.all(probedPorts().map(([kind, port]) => (kind === 'ollama' ? ollamaAt(port, timeoutMs) : openAiAt(port, timeoutMs))));
	return found.filter((server): server is LocalServer => server !== undefined);
}

function probedPorts(): [Kind, number][] {
	const configured = process.env.PLUE_LOCAL_SERVER_PORTS;
	if (configured === undefined) {
		return usualPorts;
	}
	return configured.split(',').map(entry => entry.trim().split(':')).filter(([kind, port]) => (kind === 'ollama' || kind === 'openai') && /^\d+$/.test(port ?? ''))
		.map(([kind, port]) => [kind as Kind, Number(port)]);
}

async function ollamaAt(port: number, timeoutMs: number): Promise<LocalServer | undefined> {
	const version = await getJson(port, '/api/version', timeoutMs);
	if (typeof (version as { version?: unknown } | undefined)?.version !== 'string') {
		return undefined;
	}
	const tags = await getJson(port, '/api/tags', timeoutMs);
	const models = (tags as { models?: unknown } | undefined)?.models;
	return { name: 'Ollama', catalogProviderId: 'ollama', endpoint: `http://127.0.0.1:${port}`, modelCount: Array.isArray(models) ? models.length : 0 };
}

async function openAiAt(port: number, timeoutMs: number): Promise<LocalServer | undefined> {
	const list = await getJson(port, '/v1/models', timeoutMs) as { data?: unknown } | undefined;
	if (!Array.isArray(list?.data)) {
		return undefined;
	}
	const owner = list.data.map(model => (model as { owned_by?: unknown }).owned_by).find(by => typeof by === 'string' && by in ownerNames) as string | undefined;
	return {
		name: owner ? ownerNames[owner] : 'OpenAI-compatible server',
		catalogProviderId: 'openai-compatible',
		endpoint: `http://127.0.0.1:${port}/v1`,
		modelCount: list.data.length,
	};
}

/** GET http://127.0.0.1:port/path as JSON; undefined when nothing answers in time, or not with JSON and 200. */
function getJson(port: number, path: string, timeoutMs: number): Promise<unknown> {
	return new Promise(resolve => {
		const request = http.get({ host: '127.0.0.1', port, path, timeout: timeoutMs, headers: { accept: 'application/json' } }, response => {
			if (response.statusCode !== 200) {
				response.resume();
				resolve(undefined);
				return;
			}
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => {
				body += chunk;
				if (body.length > 1 << 20) {
					request.destroy();
				}
			});
			response.on('end', () => {
				try {
					resolve(JSON.parse(body));
				} catch {
					resolve(undefined);
				}
			});
			response.on('error', () => resolve(undefined));
		});
		request.on('timeout', () => request.destroy());
		request.on('error', () => resolve(undefined));
	});
}
