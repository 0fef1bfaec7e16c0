import type { Actions, PageServerLoad } from './$types';
import { error, redirect } from '@sveltejs/kit';
import { runForm } from '$lib/server/http/forms';
import { isAppError } from '$lib/server/errors';
import { translate } from '$lib/i18n';
import { can } from '$lib/modules/places/policy';
import { getSessionForTrainer } from '$lib/modules/trainings/queries.server';
import { cancelSession, recordAttendance } from '$lib/modules/trainings/commands.server';
import { ATTENDANCE_MARKS } from '$lib/modules/trainings/rules';
import { memberContext } from '../../../member-guard.server';

// A session's page: its trainer (any member) or someone with trainings.grant; a 404 for everyone else.
async function sessionContext(event: Parameters<PageServerLoad>[0]) {
	const ctx = await memberContext(event);
	try {
		return { ...ctx, ...(await getSessionForTrainer(ctx.db, ctx.scope, event.params.id)) };
	} catch (e) {
		if (isAppError(e) && e.code === 'not_found') error(404, { message: translate(event.locals.locale, 'error.not_found'), code: 'not_found' });
		throw e;
	}
}

export const load: PageServerLoad = async (event) => {
	const { session, attendees, scope } = await sessionContext(event);
	return {
		session: { id: session.id, typeName: session.typeName, startsAt: session.startsAt, endsAt: session.endsAt, status: session.status, capacity: session.capacity, registeredCount: session.registeredCount, trainerName: session.trainerName, note: session.note, resources: session.resources.map((r) => r.name) },
		attendees: attendees.map((a) => ({ registrationId: a.registrationId, name: a.name, email: a.email, status: a.status, payment: a.payment })),
		canManage: can(scope, 'trainings.grant'),
		timezone: scope.timezone,
		created: event.url.searchParams.get('created') === '1',
		cancelled: event.url.searchParams.get('cancelled') === '1'
	};
};

export const actions: Actions = {
	attendance: async (event) => {
		const { db, scope } = await memberContext(event);
		return runForm(event, async (fd) => {
			const marks: Record<string, string> = {};
			for (const [k, v] of fd.entries()) if (k.startsWith('mark.') && typeof v === 'string') marks[k.slice(5)] = (ATTENDANCE_MARKS as readonly string[]).includes(v) ? v : 'invalid';
			const r = await recordAttendance(db, scope, event.params.id, { marks } as never);
			return { success: true, message: translate(event.locals.locale, 'admin.trainings.attendance_saved', { attended: r.attended, absent: r.absent, granted: r.granted }) };
		});
	},
	cancel: async (event) => {
		const { db, scope, base } = await memberContext(event);
		const result = await runForm(event, async () => {
			await cancelSession(db, scope, event.params.id);
			return 'ok' as const;
		});
		if (result !== 'ok') return result;
		redirect(303, `${base}/admin/formations/${event.params.id}?cancelled=1`);
	}
};
