import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { listActiveProducts } from '$lib/modules/money/queries.server';
import { recordSale } from '$lib/modules/money/commands.server';
import { currentCashSession, openCashSession } from '$lib/modules/money/till.server';
import { cashPart, changeDue, parseEuros, parseSaleForm, operatorAlias } from '$lib/modules/money/till';
import { ACTIVITIES, AUDIENCES, PAYMENT_METHODS, SALE_CONTEXTS, type Audience } from '$lib/modules/money/schema';
import { AppError, isAppError } from '$lib/server/errors';
import { runForm } from '$lib/server/http/forms';
import { tillContext, tillOf, tillQuery, trainingOf, type TillContext } from './guard.server';

/** Products grouped by activity, the café first (what the counter sells most). */
async function catalogue(ctx: TillContext) {
	const products = await listActiveProducts(ctx.db, ctx.scope);
	const order = ['cafe', ...ACTIVITIES.filter((a) => a !== 'cafe')];
	return order.map((activity) => ({ activity, products: products.filter((p) => p.activity === activity) })).filter((g) => g.products.length);
}

export const load: PageServerLoad = async (event) => {
	const ctx = await tillContext(event);
	const till = tillOf(event.url);
	const training = trainingOf(event.url);
	const session = await currentCashSession(ctx.db, ctx.scope, till);
	return {
		till,
		training,
		groups: await catalogue(ctx),
		session: session ? { openedAt: session.openedAt.toISOString(), openingFloatCents: session.openingFloatCents, operator: operatorAlias(session.openedBy) } : null,
		contexts: [...SALE_CONTEXTS],
		audiences: [...AUDIENCES],
		methods: [...PAYMENT_METHODS],
		query: tillQuery(till, training),
		trainingToggle: tillQuery(till, !training)
	};
};

export const actions: Actions = {
	/** Records a sale from the sell form and shows its receipt (with the change due). */
	sell: async (event) => {
		const ctx = await tillContext(event);
		return runForm(event, async (fd) => {
			const groups = await catalogue(ctx);
			const products = groups.flatMap((g) => g.products);
			const str = (k: string) => {
				const v = fd.get(k);
				return typeof v === 'string' ? v : undefined;
			};
			const quantities: Record<string, string> = {};
			for (const [k, v] of fd.entries()) if (k.startsWith('qty-') && typeof v === 'string') quantities[k.slice(4)] = v;
			const parsed = parseSaleForm(
				{ quantities, context: str('context'), audience: str('audience'), pay: str('pay'), splitCash: str('splitCash'), splitCard: str('splitCard'), tendered: str('tendered'), till: str('till'), training: str('training') === '1' },
				products.map((p) => p.id)
			);
			const { input, tenderedCents } = parsed;
			const till = input.till ?? '1';
			const training = Boolean(input.training);
			// The cash due, from the catalogue's prices, to check what was tendered before anything is recorded.
			const audience = (input.audience ?? 'public') as Audience;
			const total = input.lines.reduce((s, l) => {
				const p = products.find((x) => x.id === l.productId);
				return s + (p?.prices[audience] ?? p?.prices.public ?? 0) * l.quantity;
			}, 0);
			const given = input.payments.reduce((s, p) => s + (p.amountCents ?? 0), 0);
			const cashDue = input.payments.reduce((s, p) => (p.method === 'cash' ? s + (p.amountCents ?? Math.max(total - given, 0)) : s), 0);
			if (tenderedCents !== null && changeDue(cashDue, tenderedCents) === undefined) throw new AppError('invalid_input', { fields: { tendered: 'till.tendered_too_low' } });
			let receipt;
			try {
				// why: real sales need an open drawer on that till (its cash is counted at close); training sales do not.
				// The command checks it inside its transaction and refuses with `till: till.session.not_open`.
				receipt = await recordSale(ctx.db, ctx.scope, input, { requireOpenDrawer: true });
			} catch (e) {
				// why: the engine names lines by index (lines.0.productId); the form shows one field per product.
				if (isAppError(e) && e.fields) {
					const fields: Record<string, string> = {};
					for (const [k, v] of Object.entries(e.fields)) {
						const m = /^lines\.(\d+)\./.exec(k);
						fields[m ? `qty-${input.lines[Number(m[1])]?.productId}` : k] = v;
					}
					throw new AppError(e.code, { fields, detail: e.detail, cause: e });
				}
				throw e;
			}
			const extra: Record<string, string> = {};
			if (tenderedCents !== null) {
				extra.recu = String(tenderedCents);
				extra.rendu = String(changeDue(cashPart(receipt.payments), tenderedCents) ?? 0);
			}
			redirect(303, `${ctx.base}/caisse/tickets/${receipt.id}${tillQuery(till, training, extra)}`);
		});
	},
	/** Opens the drawer of this till right from the sell screen. */
	open: async (event) => {
		const ctx = await tillContext(event);
		return runForm(event, async (fd) => {
			const till = typeof fd.get('till') === 'string' ? String(fd.get('till')) : '1';
			const float = parseEuros(fd.get('openingFloat'));
			if (float === undefined) throw new AppError('invalid_input', { fields: { openingFloat: 'till.amount_invalid' } });
			if (float === null) throw new AppError('invalid_input', { fields: { openingFloat: 'field.required' } });
			try {
				await openCashSession(ctx.db, ctx.scope, { till, openingFloatCents: float });
			} catch (e) {
				if (isAppError(e) && e.fields?.openingFloatCents) throw new AppError('invalid_input', { fields: { openingFloat: e.fields.openingFloatCents } });
				throw e;
			}
			redirect(303, `${ctx.base}/caisse${tillQuery(till, false)}`);
		});
	}
};
