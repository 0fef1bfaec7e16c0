import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { closeDay } from '$lib/modules/money/closures.server';
import { getClosure } from '$lib/modules/money/till.server';
import { formatDate, formatMoney, translate } from '$lib/i18n';
import { runForm } from '$lib/server/http/forms';
import { tillContext, tillOf, tillQuery, today } from '../guard.server';

export const load: PageServerLoad = async (event) => {
	const ctx = await tillContext(event);
	const locale = event.locals.locale;
	const tz = ctx.scope.timezone;
	const z = event.url.searchParams.get('z');
	const c = z ? await getClosure(ctx.db, ctx.scope, z) : undefined;
	const money = (n: number) => formatMoney(n, locale);
	const day = (d: string) => formatDate(`${d}T12:00:00Z`, locale, 'UTC');
	return {
		today: today(tz),
		query: tillQuery(tillOf(event.url), false),
		closure: c
			? {
					id: c.id,
					done: translate(locale, 'till.closure.done', { number: c.number }),
					period: translate(locale, 'till.closure.period', { from: day(c.periodStart), to: day(c.periodEnd) }),
					receipts: translate(locale, 'till.closure.receipts', { count: c.receiptCount, first: c.firstReceiptNumber ?? '—', last: c.lastReceiptNumber ?? '—' }),
					total: translate(locale, 'till.closure.total', { total: money(c.totalCents) }),
					perpetual: translate(locale, 'till.closure.perpetual', { total: money(c.perpetualTotalCents) }),
					rates: c.totals.map((x) => ({ rate: x.outsideScope ? translate(locale, 'till.receipt.outside_scope') : `${(x.rateBp / 100).toLocaleString(locale === 'fr' ? 'fr-FR' : 'en-GB')} %`, ht: money(x.htCents), vat: money(x.vatCents), ttc: money(x.ttcCents) })),
					payments: c.payments.map((p) => ({ method: translate(locale, `till.pay.${p.method}`), amount: money(p.amountCents) }))
				}
			: null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await tillContext(event);
		return runForm(event, async (fd) => {
			const c = await closeDay(ctx.db, ctx.scope, { date: fd.get('date') });
			redirect(303, `${ctx.base}/caisse/cloture?z=${encodeURIComponent(c.id)}`);
		});
	}
};
