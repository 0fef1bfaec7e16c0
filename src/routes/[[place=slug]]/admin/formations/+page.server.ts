import type { Actions, PageServerLoad } from './$types';
import { redirect } from '@sveltejs/kit';
import { runForm } from '$lib/server/http/forms';
import { translate } from '$lib/i18n';
import { listPlacePeople, listQualifiableResources, listQualifications, listSessionsAdmin, listTrainingTypes } from '$lib/modules/trainings/queries.server';
import { createSession, createTrainingType, grantQualification, revokeQualification } from '$lib/modules/trainings/commands.server';
import { adminContext } from '../guard.server';
import { expiryFromForm, sessionFromForm, str, trainingTypeFromForm } from './form.server';

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, 'trainings.grant');
	const now = new Date();
	const [types, sessions, resources, people, qualifications] = await Promise.all([
		listTrainingTypes(db, scope),
		listSessionsAdmin(db, scope, { since: new Date(now.getTime() - 14 * 86400_000) }),
		listQualifiableResources(db, scope),
		listPlacePeople(db, scope),
		listQualifications(db, scope, { now })
	]);
	return {
		types,
		sessions: sessions.map((s) => ({ id: s.id, typeName: s.typeName, startsAt: s.startsAt, endsAt: s.endsAt, status: s.status, capacity: s.capacity, registeredCount: s.registeredCount, trainerName: s.trainerName })),
		resources,
		people,
		qualifications: qualifications.map((q) => ({ id: q.id, userName: q.userName, resourceName: q.resourceName, grantedAt: q.grantedAt, expiresAt: q.expiresAt, status: q.status })),
		timezone: scope.timezone,
		done: event.url.searchParams.get('done')
	};
};

export const actions: Actions = {
	type: async (event) => {
		const { db, scope, base } = await adminContext(event, 'trainings.grant');
		const result = await runForm(event, async (fd) => createTrainingType(db, scope, trainingTypeFromForm(fd) as never));
		if (result && 'id' in result) redirect(303, `${base}/admin/formations/types/${result.id}?created=1`);
		return result;
	},
	session: async (event) => {
		const { db, scope, base } = await adminContext(event, 'trainings.grant');
		const result = await runForm(event, async (fd) => createSession(db, scope, sessionFromForm(fd) as never));
		if (result && 'id' in result) redirect(303, `${base}/admin/formations/${result.id}?created=1`);
		return result;
	},
	grant: async (event) => {
		const { db, scope } = await adminContext(event, 'trainings.grant');
		return runForm(event, async (fd) => {
			await grantQualification(db, scope, { email: str(fd, 'email'), resourceId: str(fd, 'resourceId'), expiresAt: expiryFromForm(str(fd, 'expiresAt'), scope.timezone) });
			return { success: true, form: 'grant', message: translate(event.locals.locale, 'admin.trainings.granted') };
		});
	},
	revoke: async (event) => {
		const { db, scope } = await adminContext(event, 'trainings.grant');
		return runForm(event, async (fd) => {
			await revokeQualification(db, scope, str(fd, 'qualificationId'), { reason: str(fd, 'reason') });
			return { success: true, form: 'revoke', message: translate(event.locals.locale, 'admin.trainings.revoked') };
		});
	}
};
