import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { recordCorrection } from '$lib/modules/money/commands.server';
import { mailReceipt } from '$lib/modules/money/till.server';
import { can } from '$lib/modules/places/policy';
import { formatMoney, translate } from '$lib/i18n';
import { runForm } from '$lib/server/http/forms';
import { tillContext, tillOf, tillQuery } from '../../guard.server';
import { loadReceiptView } from '../receipt.server';

/** A non-negative amount of cents from the URL (change due, cash tendered), else null. */
function centsParam(v: string | null): number | null {
	return v !== null && /^\d{1,9}$/.test(v) ? Number(v) : null;
}

export const load: PageServerLoad = async (event) => {
	const ctx = await tillContext(event, ['cafe.sell', 'money.view']);
	const r = await loadReceiptView(ctx, event.params.id, event.locals.locale);
	const change = centsParam(event.url.searchParams.get('rendu'));
	const tendered = centsParam(event.url.searchParams.get('recu'));
	const locale = event.locals.locale;
	return {
		view: r.view,
		corrected: r.corrected,
		correctedBy: r.correctedBy,
		change: change !== null ? formatMoney(change, locale) : null,
		tendered: tendered !== null ? formatMoney(tendered, locale) : null,
		cancelled: event.url.searchParams.get('annule') === '1',
		canSell: can(ctx.scope, 'cafe.sell'),
		canRefund: can(ctx.scope, 'cafe.refund') && r.receipt.kind === 'sale' && !r.correctedBy,
		query: tillQuery(tillOf(event.url), r.receipt.training)
	};
};

export const actions: Actions = {
	/** E-mails the receipt (a mail in the outbox, sent when SMTP is configured). */
	mail: async (event) => {
		const ctx = await tillContext(event);
		return runForm(event, async (fd) => {
			const to = fd.get('to');
			await mailReceipt(ctx.db, ctx.scope, { receiptId: event.params.id, to: typeof to === 'string' ? to : '' }, event.locals.locale);
			return { success: true, message: translate(event.locals.locale, 'till.mail.sent', { to: String(to).trim() }) };
		});
	},
	/** Cancels the sale with a correction receipt (cafe.refund), then shows that receipt. */
	cancel: async (event) => {
		const ctx = await tillContext(event, ['cafe.refund']);
		return runForm(event, async () => {
			const c = await recordCorrection(ctx.db, ctx.scope, { receiptId: event.params.id });
			redirect(303, `${ctx.base}/caisse/tickets/${c.id}${tillQuery(c.till, c.training, { annule: '1' })}`);
		});
	}
};
