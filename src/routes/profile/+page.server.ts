import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { z } from 'zod';
import { getApp } from '$lib/server/app';
import { AppError, isAppError } from '$lib/server/errors';
import { runForm, formObject } from '$lib/server/http/forms';
import { authHeaders, fromAuthError } from '$lib/server/http/auth-helpers';
import { parseInput } from '$lib/server/validation';
import { flushOutbox } from '$lib/server/mail';
import { log } from '$lib/server/log';
import { currentConsents, getProfile, profileTimezone, setConsent, updateProfile } from '$lib/modules/people/profile.server';
import { createApiToken, listApiTokens, revokeApiToken } from '$lib/modules/people/tokens.server';
import { eraseAccount } from '$lib/modules/people/gdpr.server';

const LOGIN = '/login?redirectTo=%2Fprofile';

/** The signed-in person, or a redirect to the sign-in page. */
function viewer(locals: App.Locals) {
	if (!locals.user) redirect(303, LOGIN);
	return locals.user;
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const me = viewer(locals);
	const db = (await getApp()).database.db;
	let profile;
	try {
		profile = await getProfile(db, me.id);
	} catch (e) {
		if (isAppError(e) && e.code === 'not_found') redirect(303, LOGIN);
		throw e;
	}
	const [consents, tokens, timezone] = await Promise.all([currentConsents(db, me.id), listApiTokens(db, me.id), profileTimezone(db, me.id)]);
	return { profile, consents, tokens, timezone, saved: url.searchParams.get('saved') === 'profile' };
};

const revokeInput = z.object({ id: z.string({ error: 'field.required' }).min(1, 'field.required').max(100, 'field.invalid') });
const deleteInput = z.object({ confirmEmail: z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(320, 'field.too_long') });

async function flushLater() {
	const { database } = await getApp();
	flushOutbox(database.db).catch((err) => log().warn({ err }, 'outbox flush failed'));
}

export const actions: Actions = {
	profile: async (event) =>
		runForm(event, async (fd) => {
			const me = viewer(event.locals);
			const { database } = await getApp();
			const u = await updateProfile(database.db, me.id, formObject(fd));
			// why: the language cookie follows, so the choice survives signing out.
			event.cookies.set('lang', u.locale, { path: '/', maxAge: 60 * 60 * 24 * 365, httpOnly: false, sameSite: 'lax', secure: false });
			// why: redirect so the next page is already rendered in the newly chosen language.
			redirect(303, '/profile?saved=profile');
		}),

	resend: async (event) =>
		runForm(event, async () => {
			const me = viewer(event.locals);
			const { auth, database } = await getApp();
			const profile = await getProfile(database.db, me.id);
			if (profile.emailVerified) return { action: 'resend', success: true, already: true };
			try {
				await auth.api.sendVerificationEmail({ body: { email: profile.email, callbackURL: '/profile' }, headers: authHeaders(event) });
			} catch (e) {
				throw fromAuthError(e);
			}
			return { action: 'resend', success: true, email: profile.email };
		}),

	consent: async (event) =>
		runForm(event, async (fd) => {
			const me = viewer(event.locals);
			const { database } = await getApp();
			const r = await setConsent(database.db, me.id, formObject(fd));
			return { action: 'consent', success: true, purpose: r.purpose, granted: r.granted };
		}),

	token: async (event) =>
		runForm(event, async (fd) => {
			const me = viewer(event.locals);
			const { database } = await getApp();
			try {
				const r = await createApiToken(database.db, me.id, { name: fd.get('label') });
				return { action: 'token', success: true, name: r.name, token: r.token };
			} catch (e) {
				// why: the token form's field is "label" (a field named like "token" is never echoed back).
				if (isAppError(e) && e.fields?.name) throw new AppError(e.code, { fields: { label: e.fields.name } });
				throw e;
			}
		}),

	revoke: async (event) =>
		runForm(event, async (fd) => {
			const me = viewer(event.locals);
			const { id } = parseInput(revokeInput, formObject(fd));
			const { database } = await getApp();
			const name = (await listApiTokens(database.db, me.id)).find((t) => t.id === id)?.name ?? '';
			await revokeApiToken(database.db, me.id, id);
			return { action: 'revoke', success: true, name };
		}),

	delete: async (event) =>
		runForm(event, async (fd) => {
			const me = viewer(event.locals);
			const { confirmEmail } = parseInput(deleteInput, formObject(fd));
			const { auth, database } = await getApp();
			const profile = await getProfile(database.db, me.id);
			if (confirmEmail.toLowerCase() !== profile.email.toLowerCase()) {
				throw new AppError('invalid_input', { fields: { confirmEmail: 'gdpr.erase.mismatch' } });
			}
			await eraseAccount(database.db, me.id);
			await flushLater();
			await signOut(event, auth);
			redirect(303, '/?deleted=1');
		})
};

/** Clears the session cookie (the session rows are already gone with the account). */
async function signOut(event: RequestEvent, auth: Awaited<ReturnType<typeof getApp>>['auth']) {
	await auth.api.signOut({ headers: event.request.headers }).catch(() => undefined);
}
