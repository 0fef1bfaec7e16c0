import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { getApp } from '$lib/server/app';
import { isSetupDone } from '$lib/server/setup-state';

export const load: LayoutServerLoad = async ({ locals, url }) => {
	const { database } = await getApp();
	if (!url.pathname.startsWith('/setup') && !(await isSetupDone(database.db))) redirect(303, '/setup');
	return {
		user: locals.user ? { id: locals.user.id, name: locals.user.name, email: locals.user.email, isOperator: locals.user.isOperator, emailVerified: locals.user.emailVerified } : null,
		locale: locals.locale
	};
};
