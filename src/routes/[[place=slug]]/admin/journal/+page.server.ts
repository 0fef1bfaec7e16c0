import type { Actions, PageServerLoad } from './$types';
import { closeDay, closeMonth, closeYear, listClosures, monthOf, type Closure } from '$lib/modules/money/closures.server';
import { verifyClosures } from '$lib/modules/money/closures.server';
import { verifyLedger } from '$lib/modules/money/ledger.server';
import { can } from '$lib/modules/places/policy';
import { addDays, wallClock } from '$lib/modules/places/time';
import { formObject, runForm } from '$lib/server/http/forms';
import { formatMoney, translate } from '$lib/i18n';
import { adminContext } from '../guard.server';

/** Closures shown per kind (newest first). */
const SHOWN = 50;

const row = (c: Closure) => ({
	id: c.id,
	kind: c.kind,
	number: c.number,
	periodStart: c.periodStart,
	periodEnd: c.periodEnd,
	closedAt: c.closedAt.toISOString(),
	receiptCount: c.receiptCount,
	totalCents: c.totalCents,
	perpetualTotalCents: c.perpetualTotalCents,
	hash: c.hash
});

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, 'money.view');
	const [day, month, year] = await Promise.all([listClosures(db, scope, 'day', SHOWN), listClosures(db, scope, 'month', SHOWN), listClosures(db, scope, 'year', SHOWN)]);
	const today = wallClock(new Date(), scope.timezone).date;
	const lastMonth = monthOf(addDays(`${monthOf(today)}-01`, -1));
	return {
		closures: { day: day.map(row), month: month.map(row), year: year.map(row) },
		shown: SHOWN,
		today,
		suggest: { month: lastMonth, year: String(Number(today.slice(0, 4)) - 1) },
		may: { sell: can(scope, 'cafe.sell'), manage: can(scope, 'money.manage') }
	};
};

function closedMessage(locale: App.Locals['locale'], c: Closure) {
	return translate(locale, 'journal.closed', { kind: translate(locale, `journal.kind_one.${c.kind}`), number: c.number, count: c.receiptCount, total: formatMoney(c.totalCents, locale) });
}

export const actions: Actions = {
	closeDay: async (event) => {
		const { db, scope } = await adminContext(event, 'money.view');
		return runForm(event, async (fd) => {
			const c = await closeDay(db, scope, { date: formObject(fd).date });
			return { success: true, _form: 'day', id: c.id, message: closedMessage(event.locals.locale, c) };
		});
	},
	closeMonth: async (event) => {
		const { db, scope } = await adminContext(event, 'money.view');
		return runForm(event, async (fd) => {
			const c = await closeMonth(db, scope, { month: formObject(fd).month });
			return { success: true, _form: 'month', id: c.id, message: closedMessage(event.locals.locale, c) };
		});
	},
	closeYear: async (event) => {
		const { db, scope } = await adminContext(event, 'money.view');
		return runForm(event, async (fd) => {
			const c = await closeYear(db, scope, { year: formObject(fd).year });
			return { success: true, _form: 'year', id: c.id, message: closedMessage(event.locals.locale, c) };
		});
	},
	verify: async (event) => {
		const { db, scope } = await adminContext(event, 'money.view');
		return runForm(event, async () => {
			const l = event.locals.locale;
			const t = (k: string, p?: Record<string, string | number>) => translate(l, k, p);
			const r = await verifyLedger(db, scope.placeId);
			const c = await verifyClosures(db, scope.placeId);
			let broken: string | undefined;
			if (!r.ok) {
				const b = r.firstBroken!;
				broken = t('journal.verify_broken', { entry: t('journal.broken.receipt', { number: b.number, series: b.series, training: b.training ? t('journal.broken.training') : '' }), reason: t(`journal.reason.${b.reason}`) });
			} else if (!c.ok) {
				const b = c.firstBroken!;
				broken = t('journal.verify_broken', { entry: t('journal.broken.closure', { kind: t(`journal.kind_one.${b.kind}`), number: b.number }), reason: t(`journal.reason.${b.reason}`) });
			}
			return {
				_form: 'verify',
				verified: broken ? { ok: false, message: broken } : { ok: true, message: t('journal.verify_ok', { receipts: r.checked, days: c.checked.day, months: c.checked.month, years: c.checked.year }) }
			};
		});
	}
};
