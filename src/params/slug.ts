import type { ParamMatcher } from '@sveltejs/kit';
import { RESERVED_SLUGS, SLUG_RE } from '$lib/modules/places/rules';

/** A place slug in the URL: the right format and not a top-level page name (docs/decisions/003). */
export const match: ParamMatcher = (param) => SLUG_RE.test(param) && param.length >= 2 && !RESERVED_SLUGS.has(param);
