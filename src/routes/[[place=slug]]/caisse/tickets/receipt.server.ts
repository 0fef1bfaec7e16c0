// Loads one receipt for the till pages (screen, 80 mm, PDF) as its view model in the viewer's language.
import { error } from '@sveltejs/kit';
import { getReceipt, placeIdentity } from '$lib/modules/money/till.server';
import { receiptNumber, receiptView, type ReceiptRecord } from '$lib/modules/money/till';
import { isAppError } from '$lib/server/errors';
import { translate, type Locale } from '$lib/i18n';
import type { TillContext } from '../guard.server';

export async function loadReceiptView(ctx: TillContext, id: string, locale: Locale) {
	try {
		const { receipt, corrected, correctedBy } = await getReceipt(ctx.db, ctx.scope, id);
		const identity = await placeIdentity(ctx.db, ctx.scope);
		return {
			receipt,
			view: receiptView(receipt as ReceiptRecord, identity, locale, corrected),
			corrected: corrected ? { id: corrected.id, number: receiptNumber(corrected) } : null,
			correctedBy: correctedBy ? { id: correctedBy.id, number: receiptNumber(correctedBy) } : null
		};
	} catch (e) {
		if (isAppError(e) && e.code === 'not_found') error(404, { message: translate(locale, 'error.not_found'), code: 'not_found' });
		throw e;
	}
}
