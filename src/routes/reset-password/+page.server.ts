import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { z } from 'zod';
import { getApp } from '$lib/server/app';
import { runForm, formObject } from '$lib/server/http/forms';
import { authHeaders, fromAuthError } from '$lib/server/http/auth-helpers';
import { parseInput } from '$lib/server/validation';
import { assertStrongPassword } from '$lib/server/auth/password';
import { AppError } from '$lib/server/errors';

const input = z.object({ token: z.string().min(1, 'error.invalid_token'), password: z.string().min(1, 'field.required'), confirm: z.string() });

export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '', invalid: url.searchParams.get('error') === 'INVALID_TOKEN' });

export const actions: Actions = {
	default: async (event) =>
		runForm(event, async (fd) => {
			const v = parseInput(input, formObject(fd));
			if (v.password !== v.confirm) throw new AppError('invalid_input', { fields: { confirm: 'field.password_mismatch' } });
			assertStrongPassword(v.password);
			const { auth } = await getApp();
			try {
				await auth.api.resetPassword({ body: { newPassword: v.password, token: v.token }, headers: authHeaders(event) });
			} catch (e) {
				throw fromAuthError(e);
			}
			redirect(303, '/login?reset=1');
		})
};
