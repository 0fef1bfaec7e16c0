import type { PageServerLoad } from './$types';
import { tillContext, tillOf, tillQuery } from '../../../guard.server';
import { loadReceiptView } from '../../receipt.server';

export const load: PageServerLoad = async (event) => {
	const ctx = await tillContext(event, ['cafe.sell', 'money.view']);
	const r = await loadReceiptView(ctx, event.params.id, event.locals.locale);
	return { view: r.view, query: tillQuery(tillOf(event.url), r.receipt.training) };
};
