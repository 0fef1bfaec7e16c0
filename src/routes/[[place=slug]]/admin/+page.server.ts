import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { ADMIN_NAV } from '$lib/modules/nav';
import { translate } from '$lib/i18n';
import { adminContext } from './guard.server';
import type { Permission } from '$lib/modules/places/policy';

/** /admin: sends the person to the first administration page they may see (403 when none). */
export const load: PageServerLoad = async (event) => {
	const admin = ADMIN_NAV.filter((n) => n.permission);
	const { scope, base } = await adminContext(event, admin.map((n) => n.permission as Permission));
	const first = admin.find((n) => scope.permissions.has(n.permission as Permission));
	if (!first) error(403, { message: translate(event.locals.locale, 'error.forbidden'), code: 'forbidden' });
	redirect(303, base + first.path);
};
