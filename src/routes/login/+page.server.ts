import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { z } from 'zod';
import { getApp } from '$lib/server/app';
import { runForm, formObject } from '$lib/server/http/forms';
import { authHeaders, fromAuthError } from '$lib/server/http/auth-helpers';
import { safeRedirect } from '$lib/server/http/redirect';
import { parseInput } from '$lib/server/validation';

const passwordInput = z.object({ email: z.string().trim().toLowerCase().email('field.email'), password: z.string().min(1, 'field.required') });
const magicInput = z.object({ email: z.string().trim().toLowerCase().email('field.email') });

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeRedirect(url.searchParams.get('redirectTo')));
	return { redirectTo: safeRedirect(url.searchParams.get('redirectTo')), sent: url.searchParams.get('sent') === '1', reset: url.searchParams.get('reset') === '1' };
};

export const actions: Actions = {
	password: async (event) =>
		runForm(event, async (fd) => {
			const input = parseInput(passwordInput, formObject(fd));
			const { auth } = await getApp();
			try {
				await auth.api.signInEmail({ body: { email: input.email, password: input.password }, headers: authHeaders(event) });
			} catch (e) {
				throw fromAuthError(e);
			}
			redirect(303, safeRedirect(fd.get('redirectTo')));
		}),
	magic: async (event) =>
		runForm(event, async (fd) => {
			const input = parseInput(magicInput, formObject(fd));
			const { auth } = await getApp();
			try {
				await auth.api.signInMagicLink({ body: { email: input.email, callbackURL: safeRedirect(fd.get('redirectTo')) }, headers: authHeaders(event) });
			} catch (e) {
				throw fromAuthError(e);
			}
			redirect(303, '/login?sent=1');
		})
};
