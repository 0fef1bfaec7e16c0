import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { can } from '$lib/modules/places/policy';
import { financeDashboard, addCost, deleteCost, addSubsidy, deleteSubsidy } from '$lib/modules/money/finances.server';
import { listAccounts, placeSiren, setAccounts, vatReport } from '$lib/modules/money/accounting.server';
import { COST_CATEGORIES } from '$lib/modules/money/accounting-schema';
import { formObject, runForm } from '$lib/server/http/forms';
import { AppError, isAppError } from '$lib/server/errors';
import { translate } from '$lib/i18n';
import { adminContext } from '../guard.server';
import { periodFromUrl } from './period.server';

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, 'money.view');
	const choice = periodFromUrl(event.url, scope.timezone);
	const dashboard = await financeDashboard(db, scope, { endMonth: choice.period.to.slice(0, 7) });
	return {
		...choice,
		dashboard,
		vat: await vatReport(db, scope, choice.period),
		siren: (await placeSiren(db, scope)) ?? null,
		accounts: await listAccounts(db, scope),
		canManage: can(scope, 'money.manage'),
		canSettings: can(scope, 'place.settings'),
		categories: [...COST_CATEGORIES]
	};
};

/** After a successful write: back to the dashboard (post/redirect/get), keeping the period in view. */
function back(event: { url: URL }, anchor: string): never {
	const keep = new URLSearchParams();
	for (const k of ['from', 'to']) {
		const v = event.url.searchParams.get(k);
		if (v) keep.set(k, v);
	}
	const q = keep.toString();
	redirect(303, `${event.url.pathname}${q ? `?${q}` : ''}#${anchor}`);
}

/** Renames the fields of an input error (a form's field names differ from the command's). */
async function renamed<T>(map: Record<string, string>, body: () => Promise<T>): Promise<T> {
	try {
		return await body();
	} catch (e) {
		if (isAppError(e) && e.fields) throw new AppError(e.code, { fields: Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [map[k] ?? k, v])), detail: e.detail });
		throw e;
	}
}

export const actions: Actions = {
	addCost: async (event) => {
		const { db, scope } = await adminContext(event, 'money.manage');
		return runForm(event, async (fd) => {
			const v = formObject(fd);
			await addCost(db, scope, { month: v.month, category: v.category, label: v.label ?? '', amount: v.amount } as never);
			back(event, 'costs');
		});
	},
	deleteCost: async (event) => {
		const { db, scope } = await adminContext(event, 'money.manage');
		return runForm(event, async (fd) => {
			await deleteCost(db, scope, fd.get('id'));
			back(event, 'costs');
		});
	},
	addSubsidy: async (event) => {
		const { db, scope } = await adminContext(event, 'money.manage');
		return runForm(event, async (fd) => {
			const v = formObject(fd);
			await renamed({ amount: 'subsidyAmount' }, () =>
				addSubsidy(db, scope, { funder: v.funder, amount: v.subsidyAmount, grantedOn: v.grantedOn, purpose: v.purpose ?? '', receivedOn: v.receivedOn ?? '' } as never)
			);
			back(event, 'subsidies');
		});
	},
	deleteSubsidy: async (event) => {
		const { db, scope } = await adminContext(event, 'money.manage');
		return runForm(event, async (fd) => {
			await deleteSubsidy(db, scope, fd.get('id'));
			back(event, 'subsidies');
		});
	},
	accounts: async (event) => {
		const { db, scope } = await adminContext(event, 'money.manage');
		return runForm(event, async (fd) => {
			const v = formObject(fd);
			const raw = Object.fromEntries(Object.entries(v).filter(([k]) => k.startsWith('acct_')).map(([k, x]) => [k.slice(5).replace('_', ':'), x]));
			await renamed(Object.fromEntries(Object.keys(raw).map((k) => [k, `acct_${k.replace(':', '_')}`])), () => setAccounts(db, scope, raw));
			return { success: true, form: 'accounts', message: translate(event.locals.locale, 'common.saved') };
		});
	}
};
