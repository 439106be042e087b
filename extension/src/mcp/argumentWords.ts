/** A command line's arguments typed on one line, split as a shell would (quotes and backslashes), without expanding anything. No vscode imports. */

/** The words of `text`, or an error message when a quote is left open. */
export function splitArguments(text: string): { words: string[] } | { error: string } {
	const words: string[] = [];
	let word: string | undefined;
	let quote: '"' | "'" | undefined;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quote === "'") {
			if (c === "'") {
				quote = undefined;
			} else {
				word += c;
			}
		} else if (quote === '"') {
			if (c === '"') {
				quote = undefined;
			} else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1])) {
				word += text[++i];
			} else {
				word += c;
			}
		} else if (/\s/.test(c)) {
			if (word !== undefined) {
				words.push(word);
				word = undefined;
			}
		} else if (c === '"' || c === "'") {
			quote = c;
			word ??= '';
		} else if (c === '\\' && i + 1 < text.length) {
			word = (word ?? '') + text[++i];
		} else {
			word = (word ?? '') + c;
		}
	}
	if (quote) {
		return { error: `A ${quote === '"' ? 'double' : 'single'} quote is not closed.` };
	}
	if (word !== undefined) {
		words.push(word);
	}
	return { words };
}

/** The words as one line that `splitArguments` reads back to the same words. */
export function joinArguments(words: readonly string[]): string {
	return words.map(w => (w === '' || /[\s"'\\$`]/.test(w) ? `'${w.replace(/'/g, `'\\''`)}'` : w)).join(' ');
}
