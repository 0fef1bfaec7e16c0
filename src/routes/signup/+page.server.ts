import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { z } from 'zod';
import { getApp } from '$lib/server/app';
import { runForm, formObject } from '$lib/server/http/forms';
import { authHeaders, fromAuthError } from '$lib/server/http/auth-helpers';
import { safeRedirect } from '$lib/server/http/redirect';
import { parseInput } from '$lib/server/validation';
import { assertStrongPassword } from '$lib/server/auth/password';
import { recordConsent } from '$lib/modules/people/commands.server';

const signupInput = z.object({
	name: z.string().trim().min(1, 'field.required').max(120, 'field.too_long'),
	email: z.string().trim().toLowerCase().email('field.email'),
	password: z.string().min(1, 'field.required'),
	terms: z.literal('on', { error: 'auth.signup.terms_required' })
});

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, '/');
	return { redirectTo: safeRedirect(url.searchParams.get('redirectTo')) };
};

export const actions: Actions = {
	default: async (event) =>
		runForm(event, async (fd) => {
			const input = parseInput(signupInput, formObject(fd));
			assertStrongPassword(input.password);
			const { auth, database } = await getApp();
			let userId: string;
			try {
				const r = await auth.api.signUpEmail({
					body: { name: input.name, email: input.email, password: input.password, locale: event.locals.locale, callbackURL: '/' },
					headers: authHeaders(event)
				});
				userId = r.user.id;
			} catch (e) {
				throw fromAuthError(e);
			}
			await recordConsent(database.db, userId, 'terms', true);
			if (fd.get('news') === 'on') await recordConsent(database.db, userId, 'news', true);
			redirect(303, safeRedirect(fd.get('redirectTo')));
		})
};
