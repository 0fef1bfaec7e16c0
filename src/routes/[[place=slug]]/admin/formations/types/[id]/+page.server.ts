import type { Actions, PageServerLoad } from './$types';
import { error, redirect } from '@sveltejs/kit';
import { runForm } from '$lib/server/http/forms';
import { translate } from '$lib/i18n';
import { listQualifiableResources, listTrainingTypes } from '$lib/modules/trainings/queries.server';
import { deleteTrainingType, updateTrainingType } from '$lib/modules/trainings/commands.server';
import { adminContext } from '../../../guard.server';
import { trainingTypeFromForm } from '../../form.server';

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, 'trainings.grant');
	const type = (await listTrainingTypes(db, scope)).find((x) => x.id === event.params.id);
	if (!type) error(404, { message: translate(event.locals.locale, 'error.not_found'), code: 'not_found' });
	return { type, resources: await listQualifiableResources(db, scope), created: event.url.searchParams.get('created') === '1' };
};

export const actions: Actions = {
	delete: async (event) => {
		const { db, scope, base } = await adminContext(event, 'trainings.grant');
		const result = await runForm(event, async () => {
			await deleteTrainingType(db, scope, event.params.id);
			return 'ok' as const;
		});
		if (result !== 'ok') return result;
		redirect(303, `${base}/admin/formations?done=type_deleted`);
	},
	update: async (event) => {
		const { db, scope } = await adminContext(event, 'trainings.grant');
		return runForm(event, async (fd) => {
			await updateTrainingType(db, scope, event.params.id, trainingTypeFromForm(fd) as never);
			return { success: true, message: translate(event.locals.locale, 'admin.trainings.saved') };
		});
	}
};
