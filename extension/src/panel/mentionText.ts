/** How a size is said to the user and the model: "64 KB". */
const kb = (chars: number): string => `${Math.ceil(chars / 1024)} KB`;

/** `text` up to `max` characters, cut at a line, with a last line saying what was left out of `what`. */
export function cutToSize(text: string, max: number, what: string): string {
	if (text.length <= max) {
		return text;
	}
	const end = text.lastIndexOf('\n', max);
	const kept = text.slice(0, end > 0 ? end : max);
	return `${kept}\n… ${what} is cut here at ${kb(max)} of ${kb(text.length)}: ${text.slice(kept.length).split('\n').length - 1} more lines left out.`;
}

/**
 * The last `max` characters of `text`, from a line's start, with a first line saying what was left out of `what`
 * (`leftOut` characters were dropped before `text` already).
 */
export function keepTail(text: string, max: number, what: string, leftOut = 0): string {
	if (text.length <= max && leftOut === 0) {
		return text;
	}
	const start = text.length <= max ? -1 : text.indexOf('\n', text.length - max);
	const kept = text.length <= max ? text : text.slice(start >= 0 ? start + 1 : text.length - max);
	return `… the first ${kb(leftOut + text.length - kept.length)} of ${what} are left out; its last ${kb(kept.length)} follow.\n${kept}`;
}

/**
 * What a terminal shows for raw output: escape sequences (colours, cursor moves, the shell integration's own marks)
 * removed, CRLF as LF, and a line rewritten with carriage returns (a progress bar) as its last state.
 */
export function terminalText(raw: string): string {
	/* eslint-disable no-control-regex -- a terminal's output is control characters to remove */
	const plain = raw
		// OSC (title, shell integration marks, links) up to BEL or ST; then CSI; then two-character escapes.
		.replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '')
		.replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
		.replace(/\x1b[@-Z\\-_]/g, '')
		.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '')
		.replace(/\r+\n/g, '\n');
	/* eslint-enable no-control-regex */
	return plain.split('\n').map(line => line.slice(line.lastIndexOf('\r') + 1)).join('\n');
}
