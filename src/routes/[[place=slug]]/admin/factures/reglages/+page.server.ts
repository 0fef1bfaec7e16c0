import type { Actions, PageServerLoad } from './$types';
import { getInvoiceSettings, updateInvoiceSettings } from '$lib/modules/money/invoices.server';
import { settingsFromForm } from '$lib/modules/money/invoice-form';
import { getPlaceById } from '$lib/modules/places/queries.server';
import { runForm } from '$lib/server/http/forms';
import { translate } from '$lib/i18n';
import { adminContext } from '../../guard.server';

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, ['money.manage', 'place.settings']);
	const s = await getInvoiceSettings(db, scope);
	const p = await getPlaceById(db, scope);
	return {
		settings: {
			vatRegime: s.vatRegime,
			vatOnDebits: s.vatOnDebits,
			shareCapital: s.shareCapitalCents === null ? '' : (s.shareCapitalCents / 100).toFixed(2).replace('.', event.locals.locale === 'fr' ? ',' : '.'),
			variableCapital: s.variableCapital,
			registration: s.registration,
			iban: s.iban,
			bic: s.bic,
			paymentTermsDays: String(s.paymentTermsDays),
			latePenaltyRate: (s.latePenaltyRateBp / 100).toFixed(2).replace('.', event.locals.locale === 'fr' ? ',' : '.'),
			footer: s.footer
		},
		identity: { name: p.name, address: p.address, legalForm: p.legalForm, siret: p.siret ?? '', vatNumber: p.vatNumber ?? '' },
		canEditPlace: scope.permissions.has('place.settings')
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { db, scope } = await adminContext(event, ['money.manage', 'place.settings']);
		return runForm(event, async (fd) => {
			await updateInvoiceSettings(db, scope, settingsFromForm(fd));
			return { success: true, message: translate(event.locals.locale, 'common.saved') };
		});
	}
};
