import type { Actions, PageServerLoad } from './$types';
import { runForm } from '$lib/server/http/forms';
import { AppError } from '$lib/server/errors';
import { translate } from '$lib/i18n';
import { can } from '$lib/modules/places/policy';
import { listOrders, recordOrderPayment, ONSITE_METHODS } from '$lib/modules/money/checkout.server';
import { adjustWallet, createWalletPack, listWalletPacks, memberNames, refundAsCredit } from '$lib/modules/money/wallet.server';
import { parseTypedAmount } from '$lib/modules/money/checkout-rules';
import { adminContext } from '../guard.server';

const FILTERS = ['pending', 'paid', 'all'] as const;

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, ['cafe.sell', 'money.manage']);
	const asked = event.url.searchParams.get('statut');
	const filter = (FILTERS as readonly string[]).includes(asked ?? '') ? (asked as (typeof FILTERS)[number]) : 'pending';
	const orders = await listOrders(db, scope, { status: filter === 'all' ? undefined : filter, limit: 100 });
	const names = await memberNames(db, scope.placeId, orders.flatMap((o) => (o.buyerId ? [o.buyerId] : [])));
	const packs = await listWalletPacks(db, scope);
	return {
		filter,
		filters: [...FILTERS],
		methods: [...ONSITE_METHODS],
		canManage: can(scope, 'money.manage'),
		packs: packs.map((p) => ({ id: p.id, label: p.label, unit: p.unit, amount: p.amount, priceCents: p.priceCents })),
		orders: orders.map((o) => ({
			id: o.id,
			status: o.status,
			totalCents: o.totalCents,
			createdAt: o.createdAt,
			paidAt: o.paidAt,
			paymentMethod: o.paymentMethod,
			buyer: o.buyerId ? (names.get(o.buyerId) ?? null) : null,
			lines: o.lines.map((l) => ({ position: l.position, kind: l.kind, refId: l.refId, label: l.label, quantity: l.quantity }))
		}))
	};
};

export const actions: Actions = {
	pay: async (event) => {
		const { db, scope } = await adminContext(event, ['cafe.sell', 'money.manage']);
		return runForm(event, async (fd) => {
			const orderId = fd.get('orderId');
			if (typeof orderId !== 'string' || !orderId) throw new AppError('invalid_input', { fields: { orderId: 'field.required' } });
			await recordOrderPayment(db, scope, orderId, { method: fd.get('method') as never });
			return { success: true, message: translate(event.locals.locale, 'order.paid_msg') };
		});
	},
	adjust: async (event) => {
		const { db, scope } = await adminContext(event, 'money.manage');
		return runForm(event, async (fd) => {
			const unit = fd.get('unit') === 'minutes' ? 'minutes' : 'cents';
			const amount = parseTypedAmount(fd.get('amount'), unit, { signed: true });
			if (amount === undefined || amount === 0) throw new AppError('invalid_input', { fields: { amount: 'field.invalid' } });
			await adjustWallet(db, scope, { email: String(fd.get('email') ?? ''), unit, amount, reason: String(fd.get('reason') ?? '') });
			return { success: true, message: translate(event.locals.locale, 'admin.wallet.adjusted') };
		});
	},
	refund: async (event) => {
		const { db, scope } = await adminContext(event, 'money.manage');
		return runForm(event, async (fd) => {
			const cents = parseTypedAmount(fd.get('refundAmount'), 'cents');
			if (cents === undefined || cents <= 0) throw new AppError('invalid_input', { fields: { refundAmount: 'field.invalid' } });
			await refundAsCredit(db, scope, { email: String(fd.get('refundEmail') ?? ''), amountCents: cents, reason: String(fd.get('refundReason') ?? '') }).catch((e) => {
				// why: the fields of this form carry a prefix (two forms on one page).
				if (e instanceof AppError && e.fields) throw new AppError(e.code, { ...e, fields: Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [`refund${k[0].toUpperCase()}${k.slice(1)}`, v])) });
				throw e;
			});
			return { success: true, message: translate(event.locals.locale, 'admin.wallet.refunded') };
		});
	},
	pack: async (event) => {
		const { db, scope } = await adminContext(event, 'money.manage');
		return runForm(event, async (fd) => {
			const unit = fd.get('packUnit') === 'cents' ? 'cents' : 'minutes';
			const qty = parseTypedAmount(fd.get('packAmount'), 'cents');
			const price = parseTypedAmount(fd.get('packPrice'), 'cents');
			const fields: Record<string, string> = {};
			// hours may have decimals (1,5 h); parseTypedAmount gives hundredths: ×60/100 minutes.
			const amount = qty === undefined ? undefined : unit === 'minutes' ? Math.round((qty * 60) / 100) : qty;
			if (!amount || amount <= 0) fields.packAmount = 'field.invalid';
			if (price === undefined) fields.packPrice = 'field.invalid';
			if (Object.keys(fields).length) throw new AppError('invalid_input', { fields });
			await createWalletPack(db, scope, { label: String(fd.get('packLabel') ?? ''), unit, amount: amount!, priceCents: price! }).catch((e) => {
				if (e instanceof AppError && e.fields) throw new AppError(e.code, { ...e, fields: Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [`pack${k[0].toUpperCase()}${k.slice(1)}`, v])) });
				throw e;
			});
			return { success: true, message: translate(event.locals.locale, 'admin.packs.created') };
		});
	}
};
