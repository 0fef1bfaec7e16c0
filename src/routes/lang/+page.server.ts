import { redirect } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import type { Actions, PageServerLoad } from './$types';
import { getApp } from '$lib/server/app';
import { user } from '$lib/server/db/schema';
import { isLocale } from '$lib/i18n';
import { safeRedirect } from '$lib/server/http/redirect';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ request, cookies, locals }) => {
		const fd = await request.formData().catch(() => new FormData());
		const lang = fd.get('lang');
		if (isLocale(lang)) {
			cookies.set('lang', lang, { path: '/', maxAge: 60 * 60 * 24 * 365, httpOnly: false, sameSite: 'lax', secure: false });
			if (locals.user) {
				const { database } = await getApp();
				await database.db.update(user).set({ locale: lang }).where(eq(user.id, locals.user.id));
			}
		}
		redirect(303, safeRedirect(fd.get('redirectTo')));
	}
};
