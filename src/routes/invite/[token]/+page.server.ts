import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getApp } from '$lib/server/app';
import { isAppError } from '$lib/server/errors';
import { runForm } from '$lib/server/http/forms';
import { acceptInvitation, getInvitationByToken, isMemberOf, type InvitationView } from '$lib/modules/people/invitations.server';
import { translate, type Locale } from '$lib/i18n';

async function invitationOr400(token: string, locale: Locale): Promise<InvitationView> {
	const { database } = await getApp();
	try {
		return await getInvitationByToken(database.db, token);
	} catch (e) {
		if (isAppError(e) && e.code === 'invalid_token') error(400, { message: translate(locale, 'error.invalid_token'), code: 'invalid_token' });
		throw e;
	}
}

export const load: PageServerLoad = async ({ params, locals, setHeaders }) => {
	// why: the token is a secret in the URL; never leak it to another site through the Referer header
	// ('same-origin', not 'no-referrer': the latter makes browsers send "Origin: null" on the Accept form,
	// which the cross-site form check rightly refuses).
	setHeaders({ 'referrer-policy': 'same-origin', 'cache-control': 'no-store' });
	const inv = await invitationOr400(params.token, locals.locale);
	const { database } = await getApp();
	const here = `/invite/${params.token}`;
	return {
		invitation: { place: inv.place, role: inv.role, email: inv.email, invitedBy: inv.invitedBy, expiresAt: inv.expiresAt },
		alreadyMember: locals.user ? await isMemberOf(database.db, inv.place.id, locals.user.id) : false,
		loginHref: `/login?redirectTo=${encodeURIComponent(here)}`,
		signupHref: `/signup?redirectTo=${encodeURIComponent(here)}`
	};
};

export const actions: Actions = {
	accept: async (event) => {
		if (!event.locals.user) redirect(303, `/login?redirectTo=${encodeURIComponent(`/invite/${event.params.token}`)}`);
		const userId = event.locals.user.id;
		return runForm(event, async () => {
			const { database } = await getApp();
			const inv = await acceptInvitation(database.db, event.params.token, userId);
			redirect(303, `/${inv.place.slug}`);
		});
	}
};
