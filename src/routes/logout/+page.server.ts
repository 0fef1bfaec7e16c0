import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getApp } from '$lib/server/app';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ request }) => {
		const { auth } = await getApp();
		await auth.api.signOut({ headers: request.headers }).catch(() => undefined);
		redirect(303, '/');
	}
};
