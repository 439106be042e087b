/** An MCP server's question (elicitation, form mode) asked one field at a time. No vscode imports. */
import type { JsonObject, JsonValue, McpElicitParams, McpElicitResult } from '../shared/protocol';

/** One field of the form: a property of the server's flat schema. */
export interface FormField {
	name: string;
	label: string;
	description?: string;
	kind: 'string' | 'number' | 'integer' | 'boolean' | 'choice';
	required: boolean;
	/** A choice's options: the value sent, and what the user sees. */
	options?: { value: string; label: string }[];
	minimum?: number;
	maximum?: number;
	minLength?: number;
	maxLength?: number;
	default?: JsonValue;
}

/** What asks the user: a pick among items, or a line of text; undefined when the user dismissed it. */
export interface FormAsker {
	pick(step: FormStep & { items: { label: string; description?: string }[] }): Promise<string | undefined>;
	input(step: FormStep & { value?: string; validate: (text: string) => string | undefined }): Promise<string | undefined>;
}

export interface FormStep {
	/** The server's title, with the step's number ("GitHub (2/3)"). */
	title: string;
	/** What is asked: the server's question, then the field's name and description. */
	prompt: string;
}

const answer = 'Answer';
const decline = 'Decline';

/** The schema's properties as fields, in the schema's order; a property of another type is left out. */
export function formFields(schema: JsonObject): FormField[] {
	const properties = isObject(schema.properties) ? schema.properties : {};
	const required = Array.isArray(schema.required) ? schema.required.filter(r => typeof r === 'string') : [];
	return Object.entries(properties).flatMap(([name, value]) => {
		if (!isObject(value)) {
			return [];
		}
		const kind = kindOf(value);
		if (!kind) {
			return [];
		}
		const field: FormField = {
			name,
			label: typeof value.title === 'string' ? value.title : name,
			description: typeof value.description === 'string' ? value.description : undefined,
			kind,
			required: required.includes(name),
			options: kind === 'choice' ? optionsOf(value) : undefined,
			minimum: numberOr(value.minimum),
			maximum: numberOr(value.maximum),
			minLength: numberOr(value.minLength),
			maxLength: numberOr(value.maxLength),
			default: value.default,
		};
		return [field];
	});
}

/**
 * Asks the server's question: first whether to answer or decline, then each field in turn. Dismissing any step is
 * `cancel`; an optional field left empty is not sent.
 */
export async function askForm(params: McpElicitParams, ask: FormAsker): Promise<McpElicitResult> {
	const fields = formFields(params.requestedSchema);
	const steps = fields.length + 1;
	const first = await ask.pick({
		title: `${params.title} (1/${steps})`,
		prompt: params.message,
		items: [{ label: answer, description: fields.length ? fields.map(f => f.label).join(', ') : undefined }, { label: decline }],
	});
	if (first === undefined) {
		return { action: 'cancel' };
	}
	if (first === decline) {
		return { action: 'decline' };
	}
	const content: JsonObject = {};
	for (const [index, field] of fields.entries()) {
		const step = { title: `${params.title} (${index + 2}/${steps})`, prompt: `${params.message} ${field.label}${field.description ? `: ${field.description}` : ''}` };
		const value = await askField(field, step, ask);
		if (value === undefined) {
			return { action: 'cancel' };
		}
		if (value !== null) {
			content[field.name] = value;
		}
	}
	return { action: 'accept', content };
}

/** The field's value; null for an optional field left empty; undefined when dismissed. */
async function askField(field: FormField, step: FormStep, ask: FormAsker): Promise<JsonValue | undefined> {
	if (field.kind === 'boolean' || field.kind === 'choice') {
		const options = field.kind === 'boolean' ? [{ value: 'true', label: 'Yes' }, { value: 'false', label: 'No' }] : field.options ?? [];
		const skip = field.required ? [] : [{ value: '', label: 'Leave empty' }];
		const picked = await ask.pick({ ...step, items: [...options, ...skip].map(o => ({ label: o.label, description: o.value === scalar(field.default) ? 'default' : undefined })) });
		if (picked === undefined) {
			return undefined;
		}
		const value = [...options, ...skip].find(o => o.label === picked)?.value ?? '';
		return value === '' ? null : field.kind === 'boolean' ? value === 'true' : value;
	}
	const text = await ask.input({ ...step, value: field.default === undefined ? undefined : scalar(field.default), validate: t => fieldProblem(field, t) });
	if (text === undefined) {
		return undefined;
	}
	return text === '' ? null : field.kind === 'string' ? text : Number(text.trim());
}

/** Why `text` does not fit the field, or undefined. */
export function fieldProblem(field: FormField, text: string): string | undefined {
	if (text === '') {
		return field.required ? `${field.label} is required.` : undefined;
	}
	if (field.kind === 'string') {
		if (field.minLength !== undefined && text.length < field.minLength) {
			return `${field.label} needs at least ${field.minLength} characters.`;
		}
		return field.maxLength !== undefined && text.length > field.maxLength ? `${field.label} takes at most ${field.maxLength} characters.` : undefined;
	}
	const number = Number(text.trim());
	if (!Number.isFinite(number) || (field.kind === 'integer' && !Number.isInteger(number))) {
		return `${field.label} must be ${field.kind === 'integer' ? 'a whole number' : 'a number'}.`;
	}
	if (field.minimum !== undefined && number < field.minimum) {
		return `${field.label} must be at least ${field.minimum}.`;
	}
	return field.maximum !== undefined && number > field.maximum ? `${field.label} must be at most ${field.maximum}.` : undefined;
}

function kindOf(property: JsonObject): FormField['kind'] | undefined {
	if (Array.isArray(property.enum) || Array.isArray(property.oneOf)) {
		return 'choice';
	}
	return property.type === 'string' || property.type === 'number' || property.type === 'integer' || property.type === 'boolean' ? property.type : undefined;
}

/** An enum's options: `enum` (with the older `enumNames` as labels), or `oneOf` of `{const, title}`. */
function optionsOf(property: JsonObject): { value: string; label: string }[] {
	if (Array.isArray(property.oneOf)) {
		return property.oneOf.filter(isObject).map(o => ({ value: scalar(o.const), label: typeof o.title === 'string' ? o.title : scalar(o.const) }));
	}
	const names = Array.isArray(property.enumNames) ? property.enumNames : [];
	return (Array.isArray(property.enum) ? property.enum : []).map((v, i) => ({ value: scalar(v), label: typeof names[i] === 'string' ? names[i] : scalar(v) }));
}

/** A schema's value as text: a string as it is, anything else as JSON. */
function scalar(value: JsonValue | undefined): string {
	return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

function numberOr(value: JsonValue | undefined): number | undefined {
	return typeof value === 'number' ? value : undefined;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
