import { redirect } from '@sveltejs/kit';
import type { Actions } from './$types';
import { z } from 'zod';
import { getApp } from '$lib/server/app';
import { runForm, formObject } from '$lib/server/http/forms';
import { authHeaders } from '$lib/server/http/auth-helpers';
import { parseInput } from '$lib/server/validation';
import { log } from '$lib/server/log';

const input = z.object({ email: z.string().trim().toLowerCase().email('field.email') });

export const actions: Actions = {
	default: async (event) =>
		runForm(event, async (fd) => {
			const { email } = parseInput(input, formObject(fd));
			const { auth } = await getApp();
			// why: same answer whether or not the address has an account (no account enumeration).
			await auth.api.requestPasswordReset({ body: { email, redirectTo: '/reset-password' }, headers: authHeaders(event) }).catch((err) => log().warn({ err }, 'reset request failed'));
			redirect(303, '/forgot-password?sent=1');
		})
};
