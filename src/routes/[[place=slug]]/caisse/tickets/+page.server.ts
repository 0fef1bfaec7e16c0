import type { PageServerLoad } from './$types';
import { receiptsOfDay } from '$lib/modules/money/till.server';
import { receiptNumber } from '$lib/modules/money/till';
import { formatDateTime, formatMoney, translate } from '$lib/i18n';
import { isoDate, tillContext, tillOf, tillQuery, today, trainingOf } from '../guard.server';

export const load: PageServerLoad = async (event) => {
	const ctx = await tillContext(event, ['cafe.sell', 'money.view']);
	const locale = event.locals.locale;
	const tz = ctx.scope.timezone;
	const date = isoDate(event.url.searchParams.get('date')) ?? today(tz);
	const training = trainingOf(event.url);
	const till = tillOf(event.url);
	const rows = await receiptsOfDay(ctx.db, ctx.scope, date, training);
	const total = rows.reduce((s, r) => s + r.totalCents, 0);
	return {
		date,
		training,
		query: tillQuery(till, training),
		otherChain: tillQuery(till, !training, { date }),
		summary: translate(locale, 'till.tickets.count', { count: rows.length, total: formatMoney(total, locale) }),
		// newest first: what the counter looks for is the sale just made
		receipts: rows
			.slice()
			.reverse()
			.map((r) => ({
				id: r.id,
				number: receiptNumber(r),
				time: formatDateTime(r.issuedAt, locale, tz, { timeStyle: 'short' }),
				iso: r.issuedAt.toISOString(),
				kind: r.kind,
				till: r.till,
				total: formatMoney(r.totalCents, locale),
				methods: [...new Set(r.payments.map((p) => translate(locale, `till.pay.${p.method}`)))].join(', ')
			}))
	};
};
