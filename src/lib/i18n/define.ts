/**
 * Declares one area's messages. French is the base; the English object must have exactly the same keys
 * (TypeScript refuses a missing or extra key). Placeholders are written {name}.
 */
export function defineMessages<const F extends Record<string, string>>(fr: F, en: { [K in keyof F]: string }) {
	return { fr, en };
}
