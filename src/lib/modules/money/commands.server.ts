// Money writes: catalogue, counter sales and corrections into the till journal. One transaction per use
// case, audit entry in the same transaction.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../server/db/client';
import { cashSession, journalSequence, product, productComponent, productPrice, receipt, vatRate, type Audience, type RateTotal, type ReceiptLine, type ReceiptPayment, type SaleContext, type VatCategory } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { audit } from '../../server/audit';
import { newId } from '../../server/ids';
import { parseInput } from '../../server/validation';
import { can, requirePermission, type PlaceScope } from '../places/policy';
import { wallClock } from '../places/time';
import { AUDIENCES } from './schema';
import { correctionInput, productInput, saleInput, type CorrectionInput, type ProductInput, type SaleInput } from './inputs';
import { allocateMenu, buildLine, GENESIS_HASH, negateLines, receiptHash, resolveVatRate, settlePayments, totalsPerRate, type ResolvedRate, type VatRateRow } from './rules';

export type Receipt = typeof receipt.$inferSelect;

/** Largest receipt total (cents): keeps totals far inside the 32-bit column. */
const MAX_TOTAL = 100_000_000;

/** Inserts a product and its prices (no policy: for createProduct and the demo loader). */
export async function insertProduct(tx: DbOrTx, placeId: string, raw: ProductInput): Promise<{ id: string }> {
	const input = parseInput(productInput, raw);
	const id = newId();
	await tx.insert(product).values({ id, placeId, name: input.name, activity: input.activity, vatCategory: input.vatCategory, active: input.active });
	const prices = AUDIENCES.flatMap((audience) => {
		const amount = input.prices[audience];
		return amount === undefined ? [] : [{ placeId, productId: id, audience, amountCents: amount }];
	});
	await tx.insert(productPrice).values(prices);
	return { id };
}

/** Adds a product to the catalogue (cafe.menu or money.manage). */
export async function createProduct(db: Db, scope: PlaceScope, raw: ProductInput): Promise<{ id: string }> {
	if (!can(scope, 'money.manage')) requirePermission(scope, 'cafe.menu');
	return db.transaction(async (tx) => {
		const p = await insertProduct(tx, scope.placeId, raw);
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.product_create', targetType: 'product', targetId: p.id, data: { name: String(raw.name) } });
		return p;
	});
}

export interface AppendInput {
	placeId: string;
	series: string;
	training: boolean;
	kind: 'sale' | 'correction';
	correctsId: string | null;
	till: string;
	operatorRef: string | null;
	lines: ReceiptLine[];
	totals: RateTotal[];
	payments: ReceiptPayment[];
	totalCents: number;
	now?: Date;
}

/**
 * Appends a receipt to its chain inside the caller's transaction: locks the chain's journal_sequence row
 * (created on first use), takes the next number, chains the hash, inserts, moves the sequence on.
 * `underLock` runs once the lock is held (checks that must not race, such as "not corrected yet").
 */
export async function appendReceipt(tx: Tx, r: AppendInput, underLock?: () => Promise<void>): Promise<Receipt> {
	// why: gap-free numbering and a consistent previous hash under concurrency: every writer of a chain
	// serialises on this one row (FOR UPDATE); the unique index on the number is the last line of defence.
	const lockSequence = () =>
		tx
			.select()
			.from(journalSequence)
			.where(and(eq(journalSequence.placeId, r.placeId), eq(journalSequence.series, r.series), eq(journalSequence.training, r.training)))
			.for('update');
	let [seq] = await lockSequence();
	if (!seq) {
		// First receipt of this chain: create its row (two first sales at once: one insert wins, both then lock it).
		await tx.insert(journalSequence).values({ placeId: r.placeId, series: r.series, training: r.training, lastNumber: 0, lastHash: GENESIS_HASH }).onConflictDoNothing();
		[seq] = await lockSequence();
	}
	if (underLock) await underLock();
	const number = seq.lastNumber + 1;
	// why: the time is read after the lock, so issue times follow the numbers.
	const issuedAt = new Date(r.now ? r.now.getTime() : Date.now());
	const row = {
		id: newId(),
		placeId: r.placeId,
		series: r.series,
		number,
		training: r.training,
		kind: r.kind,
		correctsId: r.correctsId,
		issuedAt,
		till: r.till,
		operatorRef: r.operatorRef,
		lines: r.lines,
		totals: r.totals,
		payments: r.payments,
		totalCents: r.totalCents,
		previousHash: seq.lastHash
	};
	const hash = receiptHash(seq.lastHash, row);
	const [inserted] = await tx
		.insert(receipt)
		.values({ ...row, hash })
		.returning();
	await tx
		.update(journalSequence)
		.set({ lastNumber: number, lastHash: hash })
		.where(and(eq(journalSequence.placeId, r.placeId), eq(journalSequence.series, r.series), eq(journalSequence.training, r.training)));
	return inserted;
}

/** All VAT rate rows (a few dozen). */
export async function loadVatRates(db: DbOrTx): Promise<VatRateRow[]> {
	return db
		.select({ category: vatRate.category, context: vatRate.context, rateBp: vatRate.rateBp, outsideScope: vatRate.outsideScope, validFrom: vatRate.validFrom, validTo: vatRate.validTo })
		.from(vatRate);
}

type MenuComponent = Awaited<ReturnType<typeof loadMenuComponents>>[number];

/** The components of some set menus of a place, in menu order. */
export async function loadMenuComponents(tx: DbOrTx, placeId: string, menuIds: string[]) {
	return tx
		.select({ menuId: productComponent.menuId, componentId: productComponent.componentId, quantity: productComponent.quantity, name: product.name, activity: product.activity, vatCategory: product.vatCategory })
		.from(productComponent)
		.innerJoin(product, eq(product.id, productComponent.componentId))
		.where(and(eq(productComponent.placeId, placeId), inArray(productComponent.menuId, menuIds)))
		.orderBy(asc(productComponent.menuId), asc(productComponent.position), asc(productComponent.componentId));
}

/**
 * The receipt lines of a set menu sold `line.quantity` times: its unit price split across the components in
 * proportion to their own prices (allocateMenu), each share taxed at the component's rate for the line's
 * context. Returns an i18n key when the menu cannot be sold (no components, a nested menu, no VAT rate).
 */
function menuLines(
	menu: { id: string; name: string },
	unitCents: number,
	line: { quantity: number; context: SaleContext },
	components: MenuComponent[],
	priceOf: (productId: string) => number,
	rateOf: (category: VatCategory) => ResolvedRate | undefined
): ReceiptLine[] | string {
	if (!components.length) return 'money.menu_empty';
	if (components.some((c) => c.vatCategory === 'menu')) return 'money.menu_nested';
	const rates = components.map((c) => rateOf(c.vatCategory));
	if (rates.some((r) => !r)) return 'money.no_vat_rate';
	const shares = allocateMenu(unitCents, components.map((c) => priceOf(c.componentId) * c.quantity));
	return components.map((c, k) =>
		buildLine({
			productId: c.componentId,
			label: `${menu.name} — ${c.quantity > 1 ? `${c.quantity} × ` : ''}${c.name}`,
			activity: c.activity,
			quantity: line.quantity,
			unitPriceCents: shares[k],
			context: line.context,
			rate: rates[k]!,
			menu: { productId: menu.id, label: menu.name }
		})
	);
}

/**
 * Records a counter sale (cafe.sell): prices from the catalogue for the audience (public price when the
 * audience has none), VAT per line from the product's category, the line's context and the sale's date in
 * the place's zone; payments must add up to the total. Training sales go to their own chain (FACTICE).
 * `opts.now` (tests) sets the sale's instant.
 */
export async function recordSale(db: Db, scope: PlaceScope, raw: SaleInput, opts: { now?: Date; requireOpenDrawer?: boolean } = {}): Promise<Receipt> {
	requirePermission(scope, 'cafe.sell');
	const input = parseInput(saleInput, raw);
	return db.transaction(async (tx) => {
		// why: a real sale at the till needs its drawer open, checked in this transaction with a share lock, so a
		// drawer being closed at this moment waits for the sale (its cash is then counted) or the sale is refused.
		if (opts.requireOpenDrawer && !input.training) {
			const [open] = await tx
				.select({ id: cashSession.id })
				.from(cashSession)
				.where(and(eq(cashSession.placeId, scope.placeId), eq(cashSession.till, input.till ?? '1'), isNull(cashSession.closedAt)))
				.for('share');
			if (!open) throw new AppError('invalid_input', { fields: { till: 'till.session.not_open' } });
		}
		const ids = [...new Set(input.lines.map((l) => l.productId))];
		// One query for the products and their prices (a sale is on the chef's critical path at 11:45).
		const rows = await tx
			.select({ id: product.id, name: product.name, activity: product.activity, vatCategory: product.vatCategory, audience: productPrice.audience, amountCents: productPrice.amountCents })
			.from(product)
			.leftJoin(productPrice, and(eq(productPrice.productId, product.id), eq(productPrice.placeId, product.placeId)))
			.where(and(eq(product.placeId, scope.placeId), eq(product.active, true), inArray(product.id, ids)));
		const products = [...new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, activity: r.activity, vatCategory: r.vatCategory }])).values()];
		let prices = rows.flatMap((r) => (r.audience === null || r.amountCents === null ? [] : [{ productId: r.id, audience: r.audience, amountCents: r.amountCents }]));
		const menuIds = products.filter((p) => p.vatCategory === 'menu').map((p) => p.id);
		const components = menuIds.length ? await loadMenuComponents(tx, scope.placeId, menuIds) : [];
		if (components.length) {
			const more = await tx
				.select({ productId: productPrice.productId, audience: productPrice.audience, amountCents: productPrice.amountCents })
				.from(productPrice)
				.where(and(eq(productPrice.placeId, scope.placeId), inArray(productPrice.productId, [...new Set(components.map((c) => c.componentId))])));
			prices = [...prices, ...more];
		}
		const rates = await loadVatRates(tx);
		const date = wallClock(opts.now ?? new Date(), scope.timezone).date;
		const priceOf = (id: string, audience: Audience) =>
			prices.find((p) => p.productId === id && p.audience === audience)?.amountCents ?? prices.find((p) => p.productId === id && p.audience === 'public')?.amountCents;
		const fields: Record<string, string> = {};
		const lines: ReceiptLine[] = [];
		input.lines.forEach((l, i) => {
			const p = products.find((x) => x.id === l.productId);
			const unit = p ? priceOf(p.id, input.audience) : undefined;
			if (!p) fields[`lines.${i}.productId`] = 'money.unknown_product';
			else if (unit === undefined) fields[`lines.${i}.productId`] = 'money.no_price';
			else if (p.vatCategory === 'menu') {
				const parts = menuLines(p, unit, l, components.filter((c) => c.menuId === p.id), (id) => priceOf(id, input.audience) ?? 0, (cat) => resolveVatRate(rates, cat, l.context, date));
				if (typeof parts === 'string') fields[`lines.${i}.productId`] = parts;
				else lines.push(...parts);
			} else {
				const rate = resolveVatRate(rates, p.vatCategory, l.context, date);
				if (!rate) fields[`lines.${i}.context`] = 'money.no_vat_rate';
				else lines.push(buildLine({ productId: p.id, label: p.name, activity: p.activity, quantity: l.quantity, unitPriceCents: unit, context: l.context, rate }));
			}
		});
		if (Object.keys(fields).length) throw new AppError('invalid_input', { fields });
		const totalCents = lines.reduce((s, l) => s + l.totalCents, 0);
		if (totalCents > MAX_TOTAL) throw new AppError('invalid_input', { fields: { lines: 'money.total_too_large' } });
		const payments = settlePayments(totalCents, input.payments);
		if (!payments) throw new AppError('invalid_input', { fields: { payments: 'money.payments_mismatch' } });
		const r = await appendReceipt(tx, {
			placeId: scope.placeId,
			series: 'main',
			training: input.training,
			kind: 'sale',
			correctsId: null,
			till: input.till,
			operatorRef: scope.userId,
			lines,
			totals: totalsPerRate(lines),
			payments,
			totalCents,
			now: opts.now
		});
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.sale', targetType: 'receipt', targetId: r.id, data: { number: r.number, totalCents, training: input.training } });
		return r;
	});
}

/**
 * Cancels a sale (cafe.refund) with a new negative receipt in the same chain that references it: same lines
 * and rates with opposite amounts, refunded by the same payment methods. A receipt is corrected once.
 */
export async function recordCorrection(db: Db, scope: PlaceScope, raw: CorrectionInput, opts: { now?: Date } = {}): Promise<Receipt> {
	requirePermission(scope, 'cafe.refund');
	const input = parseInput(correctionInput, raw);
	return db.transaction(async (tx) => {
		const [orig] = await tx
			.select()
			.from(receipt)
			.where(and(eq(receipt.placeId, scope.placeId), eq(receipt.id, input.receiptId)));
		if (!orig) throw new AppError('not_found', { detail: 'receipt' });
		if (orig.kind !== 'sale') throw new AppError('invalid_input', { fields: { receiptId: 'money.not_a_sale' } });
		const lines = negateLines(orig.lines);
		const r = await appendReceipt(
			tx,
			{
				placeId: scope.placeId,
				series: orig.series,
				training: orig.training,
				kind: 'correction',
				correctsId: orig.id,
				till: input.till ?? orig.till,
				operatorRef: scope.userId,
				lines,
				totals: totalsPerRate(lines),
				payments: orig.payments.map((p) => ({ method: p.method, amountCents: -p.amountCents })),
				totalCents: -orig.totalCents,
				now: opts.now
			},
			async () => {
				// why: checked under the chain's lock, so two staff cancelling the same sale at once get one correction.
				const [already] = await tx.select({ id: receipt.id }).from(receipt).where(and(eq(receipt.placeId, scope.placeId), eq(receipt.correctsId, orig.id))).limit(1);
				if (already) throw new AppError('conflict', { detail: 'receipt already corrected', fields: { receiptId: 'money.already_corrected' } });
			}
		);
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.correction', targetType: 'receipt', targetId: r.id, data: { number: r.number, corrects: orig.number, totalCents: r.totalCents } });
		return r;
	});
}
