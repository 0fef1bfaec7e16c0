import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getApp } from '$lib/server/app';
import { resolvePlace } from '$lib/server/place-context';
import { runForm } from '$lib/server/http/forms';
import { translate } from '$lib/i18n';
import { listUpcomingSessions } from '$lib/modules/trainings/queries.server';
import { cancelMyRegistration, registerToSession } from '$lib/modules/trainings/commands.server';
import { memberContext } from '../member-guard.server';

// Public page: upcoming training sessions with the seats left; a signed-in member registers or cancels (plain forms).
export const load: PageServerLoad = async ({ params, locals, parent, url }) => {
	const { place } = await parent();
	if (!place?.enabledModules.includes('machines')) error(404, { message: translate(locals.locale, 'error.not_found'), code: 'not_found' });
	const { database } = await getApp();
	const { scope } = await resolvePlace(database.db, params.place, locals.user);
	const sessions = await listUpcomingSessions(database.db, scope, { now: new Date() });
	return {
		sessions: sessions.map((s) => ({ id: s.id, typeName: s.typeName, description: s.description, priceCents: s.priceCents, startsAt: s.startsAt, endsAt: s.endsAt, capacity: s.capacity, seatsLeft: s.seatsLeft, note: s.note, trainerName: s.trainerName, resources: s.resources.map((r) => r.name), myStatus: s.myStatus, myOrder: s.myOrder })),
		timezone: scope.timezone,
		signedIn: Boolean(locals.user),
		isMember: Boolean(scope.roleKey),
		done: url.searchParams.get('done'),
		doneId: url.searchParams.get('session')
	};
};

const sessionIdOf = (fd: FormData) => (typeof fd.get('sessionId') === 'string' ? (fd.get('sessionId') as string) : '');

export const actions: Actions = {
	register: async (event) => {
		const { db, scope, base } = await memberContext(event);
		const result = await runForm(event, async (fd) => {
			const id = sessionIdOf(fd);
			const r = await registerToSession(db, scope, id);
			// A paid training: straight to its order, to pay it.
			return r.orderId ? `${base}/commande/${r.orderId}` : `${base}/formations?done=registered&session=${encodeURIComponent(id)}#s-${id}`;
		});
		if (typeof result !== 'string') return result;
		redirect(303, result);
	},
	unregister: async (event) => {
		const { db, scope, base } = await memberContext(event);
		const result = await runForm(event, async (fd) => {
			const id = sessionIdOf(fd);
			await cancelMyRegistration(db, scope, id);
			return id;
		});
		if (typeof result !== 'string') return result;
		redirect(303, `${base}/formations?done=unregistered&session=${encodeURIComponent(result)}#s-${result}`);
	}
};
