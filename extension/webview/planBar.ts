import type { PlanPart } from '../src/shared/protocol';
import { el } from './dom';
import { planElement } from './parts';

/**
 * The plan being carried out, above the composer: it stays in sight while the agent works and the plan's own card
 * scrolls away, its steps ticking as the agent reports them done. Shown only while the chat answers and a step is
 * left: a finished plan (every step ticked, or the turn over) un-pins, and the card in the transcript keeps its record.
 */
export class PlanBar {
	readonly element = el('section', 'plan-bar');

	constructor() {
		this.element.setAttribute('aria-label', 'Plan in progress');
		this.element.hidden = true;
	}

	render(plan: PlanPart | undefined, busy: boolean): void {
		const shown = plan?.startedMode !== undefined && busy && plan.items.some(i => !i.done);
		this.element.hidden = !shown;
		this.element.replaceChildren(...shown ? [planElement(plan)] : []);
	}
}
