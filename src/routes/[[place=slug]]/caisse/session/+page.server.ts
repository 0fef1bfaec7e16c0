import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { closeCashSession, expectedNow, listCashSessions, openCashSession } from '$lib/modules/money/till.server';
import { operatorAlias, parseEuros } from '$lib/modules/money/till';
import { formatDateTime, formatMoney, translate } from '$lib/i18n';
import { AppError, isAppError } from '$lib/server/errors';
import { runForm } from '$lib/server/http/forms';
import { tillContext, tillOf, tillQuery } from '../guard.server';

export const load: PageServerLoad = async (event) => {
	const ctx = await tillContext(event);
	const locale = event.locals.locale;
	const tz = ctx.scope.timezone;
	const till = tillOf(event.url);
	const sessions = await listCashSessions(ctx.db, ctx.scope, 100);
	const money = (c: number | null) => (c === null ? '' : formatMoney(c, locale));
	const when = (d: Date | null) => (d ? formatDateTime(d, locale, tz, { dateStyle: 'short', timeStyle: 'short' }) : '');
	const open = await Promise.all(
		sessions
			.filter((s) => !s.closedAt)
			.map(async (s) => ({
				id: s.id,
				till: s.till,
				openedAt: when(s.openedAt),
				operator: operatorAlias(s.openedBy),
				float: money(s.openingFloatCents),
				expected: money(await expectedNow(ctx.db, s))
			}))
	);
	const closedId = event.url.searchParams.get('fermee');
	const justClosed = sessions.find((s) => s.id === closedId && s.closedAt);
	return {
		till,
		query: tillQuery(till, false),
		open,
		justClosed: justClosed
			? translate(locale, 'till.session.closed', { expected: money(justClosed.expectedCents), counted: money(justClosed.countedCents), difference: money(justClosed.differenceCents) })
			: null,
		history: sessions
			.filter((s) => s.closedAt)
			.map((s) => ({
				id: s.id,
				till: s.till,
				openedAt: when(s.openedAt),
				closedAt: when(s.closedAt),
				float: money(s.openingFloatCents),
				expected: money(s.expectedCents),
				counted: money(s.countedCents),
				difference: money(s.differenceCents),
				negative: (s.differenceCents ?? 0) < 0,
				note: s.note ?? ''
			}))
	};
};

/** An amount field typed in euros to cents, with the field named in the error. */
function amount(fd: FormData, name: string): number {
	const v = parseEuros(fd.get(name));
	if (v === undefined) throw new AppError('invalid_input', { fields: { [name]: 'till.amount_invalid' } });
	if (v === null) throw new AppError('invalid_input', { fields: { [name]: 'field.required' } });
	return v;
}

const text = (fd: FormData, name: string) => {
	const v = fd.get(name);
	return typeof v === 'string' ? v : '';
};

export const actions: Actions = {
	open: async (event) => {
		const ctx = await tillContext(event);
		return runForm(event, async (fd) => {
			const till = text(fd, 'till').trim() || '1';
			const openingFloatCents = amount(fd, 'openingFloat');
			try {
				await openCashSession(ctx.db, ctx.scope, { till, openingFloatCents });
			} catch (e) {
				if (isAppError(e) && e.fields?.openingFloatCents) throw new AppError('invalid_input', { fields: { openingFloat: e.fields.openingFloatCents } });
				throw e;
			}
			redirect(303, `${ctx.base}/caisse${tillQuery(till, false)}`);
		});
	},
	close: async (event) => {
		const ctx = await tillContext(event);
		return runForm(event, async (fd) => {
			const till = text(fd, 'till').trim() || '1';
			const countedCents = amount(fd, 'counted');
			let s;
			try {
				s = await closeCashSession(ctx.db, ctx.scope, { till, countedCents, note: text(fd, 'note') });
			} catch (e) {
				if (isAppError(e) && e.fields?.countedCents) throw new AppError('invalid_input', { fields: { counted: e.fields.countedCents } });
				throw e;
			}
			redirect(303, `${ctx.base}/caisse/session${tillQuery(till, false, { fermee: s.id })}`);
		});
	}
};
