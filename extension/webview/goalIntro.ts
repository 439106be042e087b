import type { Composer } from './composer';
import { el, icon } from './dom';
import { post } from './vscodeApi';

/**
 * A new task's goal page around the chat's composer: a header naming what the task will be (template, model), a
 * line on what a good goal says, and Escape to close the page without starting anything.
 */
export class GoalIntro {
	readonly header = el('header', 'chat-header');
	readonly intro = el('main', 'goal-intro');
	private readonly _title = el('h1', 'chat-title', 'New task');

	constructor(private readonly _composer: Composer) {
		this.header.append(icon('tasklist'), this._title);
		this.intro.append(
			el('p', undefined, 'What must the task achieve? Name the files involved, the constraints, and how to tell when it is done.'),
			el('p', 'goal-hint', 'Type @ to attach a file, a folder, the selection, the problems, the git diff, the terminal\'s output or an MCP server\'s resource, / for an MCP server\'s prompts; Enter starts the task, Shift+Enter adds a line, Escape closes without starting.'),
		);
		_composer.useForGoal('Describe the goal (@ to attach files)', 'Start the task (Enter)');
		// Escape closes the page, unless the @ menu took it (it closes the menu and marks the key handled).
		window.addEventListener('keydown', e => {
			if (e.key === 'Escape' && !e.defaultPrevented && !e.isComposing) {
				post({ type: 'cancel' });
			}
		});
	}

	render(heading: string, imagesRefused: string): void {
		this._title.textContent = heading;
		this._composer.imagesRefused = imagesRefused;
	}
}
