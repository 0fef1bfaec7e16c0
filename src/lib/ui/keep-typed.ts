/**
 * Keeps what a person typed, ticked or chose before the page's script took over.
 *
 * Every page is served as HTML that works on its own; the script arrives later (seconds on a slow phone).
 * When it does, Svelte hydrates the page and sets each field's `value`, `checked` and `selected` from the
 * data the server rendered, which wipes whatever was typed in the meantime (a password, half a message,
 * a ticked box). The root layout takes a note of the fields that differ from their server default before
 * any field is hydrated (`typedBeforeHydration`) and puts them back once the page is mounted (`restoreTyped`).
 */

type Field = HTMLInputElement | HTMLTextAreaElement;
export type Typed = Array<{ el: Field; value?: string; checked?: boolean } | { el: HTMLSelectElement; selected: boolean[] }>;

/** Inputs whose value nobody types (or that a script may not set). */
const UNTYPED = new Set(['hidden', 'file', 'submit', 'button', 'reset', 'image']);

/** The fields of `root` whose value, tick or choice differs from what the server sent. */
export function typedBeforeHydration(root: ParentNode = document): Typed {
	const typed: Typed = [];
	for (const el of root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>('input, textarea, select')) {
		if (el instanceof HTMLSelectElement) {
			const options = [...el.options];
			if (options.some((o) => o.selected !== o.defaultSelected)) typed.push({ el, selected: options.map((o) => o.selected) });
		} else if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
			if (el.checked !== el.defaultChecked) typed.push({ el, checked: el.checked });
		} else if (!(el instanceof HTMLInputElement && UNTYPED.has(el.type)) && el.value !== el.defaultValue) {
			typed.push({ el, value: el.value });
		}
	}
	return typed;
}

/** Puts back what `typedBeforeHydration` noted (and tells bound components, through input and change events). */
export function restoreTyped(typed: Typed): void {
	for (const t of typed) {
		if (!t.el.isConnected) continue;
		let changed = false;
		if ('selected' in t) {
			[...t.el.options].forEach((o, i) => {
				if (i < t.selected.length && o.selected !== t.selected[i]) {
					o.selected = t.selected[i];
					changed = true;
				}
			});
		} else if (t.checked !== undefined) {
			changed = t.el instanceof HTMLInputElement && t.el.checked !== t.checked;
			if (changed) (t.el as HTMLInputElement).checked = t.checked;
		} else if (t.value !== undefined && t.el.value !== t.value) {
			t.el.value = t.value;
			changed = true;
		}
		if (changed) {
			t.el.dispatchEvent(new Event('input', { bubbles: true }));
			t.el.dispatchEvent(new Event('change', { bubbles: true }));
		}
	}
}
