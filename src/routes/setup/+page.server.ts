import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getApp } from '$lib/server/app';
import { isSetupDone } from '$lib/server/setup-state';
import { setupInstance } from '$lib/modules/places/commands.server';
import { loadDemo, DEMO_PASSWORD } from '$lib/modules/places/demo.server';
import { runForm, formObject } from '$lib/server/http/forms';
import { authHeaders } from '$lib/server/http/auth-helpers';
import { AppError } from '$lib/server/errors';
import { LEGAL_FORMS, TIMEZONES } from '$lib/modules/places/rules';

export const load: PageServerLoad = async () => {
	const { database } = await getApp();
	if (await isSetupDone(database.db)) redirect(303, '/');
	return { legalForms: [...LEGAL_FORMS], timezones: TIMEZONES };
};

export const actions: Actions = {
	create: async (event) =>
		runForm(event, async (fd) => {
			const { database, auth } = await getApp();
			const input = formObject(fd);
			const { user } = await setupInstance(database.db, { ...input, locale: event.locals.locale });
			await auth.api.signInEmail({ body: { email: user.email, password: String(input.adminPassword) }, headers: authHeaders(event) });
			redirect(303, '/');
		}),
	demo: async (event) =>
		runForm(event, async () => {
			const { database, auth } = await getApp();
			if (await isSetupDone(database.db)) throw new AppError('setup_done');
			await loadDemo(database.db);
			await auth.api.signInEmail({ body: { email: 'admin@la-treso.demo', password: DEMO_PASSWORD }, headers: authHeaders(event) });
			redirect(303, '/');
		})
};
