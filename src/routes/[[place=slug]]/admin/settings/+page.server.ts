import type { Actions, PageServerLoad } from './$types';
import { updatePlaceSettings } from '$lib/modules/places/commands.server';
import { getPlaceById } from '$lib/modules/places/queries.server';
import { LEGAL_FORMS, MODULES, TIMEZONES } from '$lib/modules/places/rules';
import { formObject, runForm } from '$lib/server/http/forms';
import { translate } from '$lib/i18n';
import { adminContext } from '../guard.server';
import { can } from '$lib/modules/places/policy';

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, 'place.settings');
	const p = await getPlaceById(db, scope);
	return {
		settings: {
			name: p.name,
			address: p.address,
			description: p.description,
			timezone: p.timezone,
			legalForm: p.legalForm,
			siret: p.siret ?? '',
			vatNumber: p.vatNumber ?? '',
			logoUrl: p.logoUrl ?? '',
			languages: p.languages,
			enabledModules: p.enabledModules
		},
		// The opening hours live on /admin/horaires (opening rules); the settings page links there.
		canEditHours: can(scope, 'bookings.manage'),
		// A place set up with a zone outside the list (CLI, API) keeps it selectable.
		timezones: TIMEZONES.includes(p.timezone) ? TIMEZONES : [p.timezone, ...TIMEZONES],
		legalForms: [...LEGAL_FORMS],
		modules: [...MODULES]
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { db, scope } = await adminContext(event, 'place.settings');
		return runForm(event, async (fd) => {
			const strings = (k: string) => fd.getAll(k).filter((v): v is string => typeof v === 'string');
			// why: unticked checkboxes send nothing; an empty list must stay empty (not fall back to a default).
			await updatePlaceSettings(db, scope, { ...formObject(fd), languages: strings('languages'), enabledModules: strings('enabledModules') });
			return { success: true, message: translate(event.locals.locale, 'common.saved') };
		});
	}
};
