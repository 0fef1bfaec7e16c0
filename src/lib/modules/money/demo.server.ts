// The money part of the La Tréso demo: a café-cantine price list, machine time and workshops, then a few
// months of real till history (recordSale with opts.now: chained, numbered, audited like any sale), costs per
// month around break-even and two investment subsidies. Deterministic: a seeded generator, dates from ctx.now.
import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../server/db/client';
import { costEntry, journalSequence, place, productComponent, receipt, subsidy } from '../../server/db/schema';
import { audit } from '../../server/audit';
import { newId } from '../../server/ids';
import type { DemoContext } from '../places/demo.server';
import { BUILTIN_ROLES, PERMISSIONS, mintScope, type PlaceScope } from '../places/policy';
import { addDays, wallClock, zonedTimeToUtc } from '../places/time';
import type { ProductInput } from './inputs';
import { insertProduct, loadVatRates, recordCorrection, recordSale } from './commands.server';
import type { Audience, PaymentMethod, ReceiptLine } from './schema';
import { buildLine, GENESIS_HASH, negateLines, receiptHash, resolveVatRate, settlePayments, totalsPerRate, type ReceiptPayload } from './rules';
import { lastMonths } from './accounting-rules';
import { closeDay, closeMonth } from './closures.server';

export const DEMO_PRODUCTS: ProductInput[] = [
	{ name: 'Plat du jour', activity: 'cafe', vatCategory: 'food', prices: { public: 1250, member: 1100, reduced: 800, resident: 1000 } },
	{ name: 'Soupe de saison', activity: 'cafe', vatCategory: 'food', prices: { public: 600, member: 550, reduced: 400 } },
	{ name: 'Dessert du jour', activity: 'cafe', vatCategory: 'food', prices: { public: 450, member: 400, reduced: 300 } },
	{ name: 'Café', activity: 'cafe', vatCategory: 'soft_drink', prices: { public: 150, reduced: 100 } },
	{ name: 'Jus de pomme local', activity: 'cafe', vatCategory: 'soft_drink', prices: { public: 300, member: 250 } },
	{ name: 'Bière pression', activity: 'cafe', vatCategory: 'alcohol', prices: { public: 450, member: 400 } },
	{ name: 'Découpeuse laser (1 h)', activity: 'machines', vatCategory: 'machine_time', prices: { public: 3000, member: 2000, resident: 1500 } },
	{ name: 'Imprimante 3D (1 h)', activity: 'machines', vatCategory: 'machine_time', prices: { public: 800, member: 500, resident: 400 } },
	{ name: 'Fraiseuse numérique (1 h)', activity: 'machines', vatCategory: 'machine_time', prices: { public: 4000, member: 2800, resident: 2200 } },
	{ name: 'Atelier cuisine de saison', activity: 'events', vatCategory: 'service', prices: { public: 3500, member: 3000, reduced: 1500 } },
	{ name: 'Initiation découpe laser', activity: 'events', vatCategory: 'service', prices: { public: 4500, member: 3500, reduced: 2000 } },
	{ name: 'Part sociale', activity: 'shares', vatCategory: 'share', prices: { public: 5000 } },
	{ name: 'Formule midi (plat + dessert + café)', activity: 'cafe', vatCategory: 'menu', prices: { public: 1600, member: 1450, reduced: 1100 } }
];

/** The set menus of the demo: their components (the price is split across them at sale time). */
const DEMO_MENUS: Record<string, string[]> = { 'Formule midi (plat + dessert + café)': ['Plat du jour', 'Dessert du jour', 'Café'] };

/** Months of till history the demo generates (before the month of ctx.now, plus that month up to yesterday). */
export const DEMO_HISTORY_MONTHS = 6;

/** A small seeded generator (mulberry32): the same demo every time. */
function seeded(seed: number) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
		pick: <T>(items: ReadonlyArray<readonly [T, number]>): T => {
			const total = items.reduce((s, [, w]) => s + w, 0);
			let r = next() * total;
			for (const [v, w] of items) if ((r -= w) < 0) return v;
			return items[items.length - 1][0];
		}
	};
}

type Line = { productId: string; quantity: number; context: 'on_site' | 'takeaway_now' | 'takeaway_later' };
interface PlannedSale {
	at: Date;
	lines: Line[];
	audience: Audience;
	method: PaymentMethod;
	training?: boolean;
	correct?: boolean;
}

/**
 * The planned sales of the demo history, in time order: lunches (about 40 covers a weekday, by table),
 * morning coffees, beers on Thursday evenings, machine hours, a workshop or two a month, a few share
 * subscriptions, a cancelled sale now and then and one training sale (FACTICE, never counted).
 */
export function planDemoSales(ids: Record<string, string>, timezone: string, now: Date): PlannedSale[] {
	const rnd = seeded(20200901);
	const today = wallClock(now, timezone).date;
	const first = `${lastMonths(today, DEMO_HISTORY_MONTHS + 1)[0]}-01`;
	const at = (day: string, minutes: number) => zonedTimeToUtc(day, `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`, timezone);
	const audience = () => rnd.pick<Audience>([['public', 62], ['member', 30], ['reduced', 8]]);
	const method = () => rnd.pick<PaymentMethod>([['card', 62], ['cash', 33], ['cheque', 5]]);
	const sales: PlannedSale[] = [];
	for (let day = first; day < today; day = addDays(day, 1)) {
		const wd = new Date(`${day}T12:00:00Z`).getUTCDay();
		if (wd === 0 || wd === 1) continue; // closed on Sunday and Monday
		const month = +day.slice(5, 7);
		if (month === 8 && +day.slice(8, 10) >= 4 && +day.slice(8, 10) <= 24) continue; // summer break
		// Seasonal mood: quieter in winter and in July, busier in spring and autumn.
		const mood = [0.85, 0.9, 1, 1.05, 1.1, 1, 0.8, 0.7, 1.05, 1.1, 1, 0.9][month - 1];
		const day_: PlannedSale[] = [];
		// Morning coffees
		for (let i = rnd.int(1, 2); i > 0; i--) day_.push({ at: at(day, rnd.int(540, 690)), lines: [{ productId: ids['Café'], quantity: rnd.int(2, 5), context: 'on_site' }], audience: audience(), method: rnd.next() < 0.6 ? 'cash' : 'card' });
		// Lunch, by table (Saturday: a lighter brunch service)
		let covers = Math.round((wd === 6 ? 18 : 40) * mood * (0.8 + rnd.next() * 0.4));
		while (covers > 0) {
			const n = Math.min(covers, rnd.pick<number>([[1, 30], [2, 35], [3, 20], [4, 15]]));
			covers -= n;
			const takeaway = rnd.next() < 0.2;
			const ctx = takeaway ? 'takeaway_now' : 'on_site';
			const lines: Line[] = [{ productId: ids['Plat du jour'], quantity: n, context: ctx }];
			const desserts = rnd.int(0, n);
			if (desserts) lines.push({ productId: ids['Dessert du jour'], quantity: desserts, context: takeaway ? 'takeaway_later' : 'on_site' });
			if (rnd.next() < 0.3) lines.push({ productId: ids['Soupe de saison'], quantity: 1, context: ctx });
			const coffees = takeaway ? 0 : rnd.int(0, n);
			if (coffees) lines.push({ productId: ids['Café'], quantity: coffees, context: 'on_site' });
			if (rnd.next() < 0.35) lines.push({ productId: ids['Jus de pomme local'], quantity: rnd.int(1, n), context: ctx });
			day_.push({ at: at(day, rnd.int(720, 840)), lines, audience: audience(), method: method() });
		}
		// Thursday evening: beers
		if (wd === 4) for (let i = Math.round(rnd.int(8, 14) * mood); i > 0; i--) day_.push({ at: at(day, rnd.int(1110, 1290)), lines: [{ productId: ids['Bière pression'], quantity: rnd.int(1, 3), context: 'on_site' }], audience: rnd.next() < 0.5 ? 'member' : 'public', method: method() });
		// Machine hours (members and residents mostly)
		for (let i = rnd.int(0, 3); i > 0; i--) {
			const machine = rnd.pick<string>([['Découpeuse laser (1 h)', 5], ['Imprimante 3D (1 h)', 3], ['Fraiseuse numérique (1 h)', 2]]);
			day_.push({ at: at(day, rnd.int(600, 1020)), lines: [{ productId: ids[machine], quantity: rnd.int(1, 3), context: 'on_site' }], audience: rnd.pick<Audience>([['member', 6], ['public', 3], ['reduced', 1]]), method: 'card' });
		}
		// Workshops: a cooking workshop on the first Saturday, a laser initiation on the third Wednesday
		const dom = +day.slice(8, 10);
		if ((wd === 6 && dom <= 7) || (wd === 3 && dom >= 15 && dom <= 21)) {
			const workshop = wd === 6 ? 'Atelier cuisine de saison' : 'Initiation découpe laser';
			for (let i = rnd.int(5, 9); i > 0; i--) day_.push({ at: at(day, rnd.int(840, 870)), lines: [{ productId: ids[workshop], quantity: 1, context: 'on_site' }], audience: audience(), method: rnd.next() < 0.3 ? 'transfer' : 'card' });
		}
		// A new associé subscribes two shares now and then (outside VAT, not revenue: capital)
		if (rnd.next() < 0.04) day_.push({ at: at(day, rnd.int(600, 1000)), lines: [{ productId: ids['Part sociale'], quantity: 2, context: 'on_site' }], audience: 'public', method: 'cheque' });
		day_.sort((a, b) => a.at.getTime() - b.at.getTime());
		// Now and then a sale is cancelled at once (wrong dish keyed in): a correction follows it.
		if (day_.length > 5 && rnd.next() < 0.08) day_[rnd.int(0, day_.length - 2)].correct = true;
		sales.push(...day_);
	}
	// One training sale (a new team member learning the till): FACTICE, in its own chain, never counted.
	if (sales.length) sales.push({ ...sales[sales.length - 1], at: new Date(sales[sales.length - 1].at.getTime() + 60_000), training: true, correct: false });
	return sales;
}

/** Costs of a demo month around break-even: fixed costs, and food purchases about 30 % of café sales. */
function demoCosts(month: string, cafeCents: number): Array<{ category: 'rent' | 'salaries' | 'food' | 'energy' | 'insurance' | 'services'; label: string; amountCents: number }> {
	const winter = ['11', '12', '01', '02'].includes(month.slice(5, 7));
	return [
		{ category: 'rent', label: 'Loyer du bâtiment (ville de Malakoff)', amountCents: 180_000 },
		{ category: 'salaries', label: 'Chef, commis et coordination', amountCents: 780_000 },
		{ category: 'food', label: 'Producteurs locaux et épicerie bio', amountCents: Math.round((cafeCents * 0.3) / 100) * 100 },
		{ category: 'energy', label: 'Électricité, gaz, eau', amountCents: winter ? 62_000 : 41_000 },
		{ category: 'insurance', label: 'Assurance multirisque', amountCents: 15_000 },
		{ category: 'services', label: 'Comptabilité, banque, logiciels', amountCents: 32_000 }
	];
}

/**
 * Appends the planned sales (and their corrections) to the place's main chain in batches, with the rules
 * recordSale uses (catalogue price per audience, VAT per line from the category, context and date, totals
 * per rate, chained SHA-256), under the chain's lock; one audit entry for the whole history.
 */
async function appendDemoHistory(tx: Tx, ctx: DemoContext, staff: PlaceScope, admin: PlaceScope, ids: Record<string, string>, sales: readonly PlannedSale[], onSale: (at: Date, lines: ReceiptLine[]) => void): Promise<void> {
	if (!sales.length) return;
	const rates = await loadVatRates(tx);
	const byId = new Map(DEMO_PRODUCTS.map((p) => [ids[p.name], p]));
	await tx.insert(journalSequence).values({ placeId: ctx.placeId, series: 'main', training: false, lastNumber: 0, lastHash: GENESIS_HASH }).onConflictDoNothing();
	const seqWhere = and(eq(journalSequence.placeId, ctx.placeId), eq(journalSequence.series, 'main'), eq(journalSequence.training, false));
	const [seq] = await tx.select().from(journalSequence).where(seqWhere).for('update');
	let number = seq.lastNumber;
	let previousHash = seq.lastHash;
	let batch: Array<typeof receipt.$inferInsert> = [];
	const push = (r: Omit<ReceiptPayload, 'number' | 'placeId' | 'series' | 'training' | 'till'> & { id: string }) => {
		number++;
		const row = { ...r, placeId: ctx.placeId, series: 'main', training: false, number, till: '1', previousHash };
		const hash = receiptHash(previousHash, row);
		batch.push({ ...row, issuedAt: new Date(row.issuedAt), hash } as typeof receipt.$inferInsert);
		previousHash = hash;
	};
	const flush = async () => {
		if (batch.length) await tx.insert(receipt).values(batch);
		batch = [];
	};
	for (const s of sales) {
		const date = wallClock(s.at, ctx.timezone).date;
		const lines = s.lines.map((l) => {
			const p = byId.get(l.productId)!;
			const prices = p.prices as Partial<Record<Audience, number>>;
			const rate = resolveVatRate(rates, p.vatCategory, l.context, date)!;
			return buildLine({ productId: l.productId, label: p.name, activity: p.activity, quantity: l.quantity, unitPriceCents: prices[s.audience] ?? prices.public!, context: l.context, rate });
		});
		const totalCents = lines.reduce((sum, l) => sum + l.totalCents, 0);
		const payments = settlePayments(totalCents, [{ method: s.method }])!;
		const id = newId();
		push({ id, kind: 'sale', correctsId: null, issuedAt: s.at, operatorRef: staff.userId, lines, totals: totalsPerRate(lines), payments, totalCents });
		if (s.correct) {
			const neg = negateLines(lines);
			push({ id: newId(), kind: 'correction', correctsId: id, issuedAt: new Date(s.at.getTime() + 90_000), operatorRef: admin.userId, lines: neg, totals: totalsPerRate(neg), payments: payments.map((p) => ({ method: p.method, amountCents: -p.amountCents })), totalCents: -totalCents });
		} else onSale(s.at, lines);
		if (batch.length >= 250) await flush();
	}
	await flush();
	await tx.update(journalSequence).set({ lastNumber: number, lastHash: previousHash }).where(seqWhere);
	await audit(tx, { placeId: ctx.placeId, actorId: ctx.actorId, action: 'demo.receipts', targetType: 'place', targetId: ctx.placeId, data: { receipts: number - seq.lastNumber } });
}

/** Loads the demo price list and its history (inside loadDemo's transaction). */
export async function loadMoneyDemo(tx: Tx, ctx: DemoContext): Promise<Record<string, string>> {
	const ids: Record<string, string> = {};
	for (const p of DEMO_PRODUCTS) ids[p.name] = (await insertProduct(tx, ctx.placeId, p)).id;
	for (const [menu, parts] of Object.entries(DEMO_MENUS))
		await tx.insert(productComponent).values(parts.map((name, i) => ({ placeId: ctx.placeId, menuId: ids[menu], componentId: ids[name], quantity: 1, position: i })));
	await audit(tx, { placeId: ctx.placeId, actorId: ctx.actorId, action: 'demo.products', targetType: 'place', targetId: ctx.placeId, data: { count: DEMO_PRODUCTS.length } });

	const [pl] = await tx.select({ slug: place.slug }).from(place).where(eq(place.id, ctx.placeId));
	const scopeOf = (email: string, roleKey: 'staff' | 'admin'): PlaceScope =>
		mintScope({ placeId: ctx.placeId, slug: pl.slug, timezone: ctx.timezone, userId: ctx.users[email] ?? ctx.actorId, roleKey, permissions: new Set(roleKey === 'admin' ? PERMISSIONS : BUILTIN_ROLES.staff), isOperator: false });
	const staff = scopeOf('equipe@la-treso.demo', 'staff');
	const admin = scopeOf('admin@la-treso.demo', 'admin');
	const planned = planDemoSales(ids, ctx.timezone, ctx.now);
	// why: thousands of sales one by one (each its own savepoint, lock and audit entry) take over a minute on
	// PGlite; the history goes through appendDemoHistory (same pure rules, same chain, batched inserts), and
	// the last few sales (and the training one) through recordSale/recordCorrection themselves.
	const real = planned.filter((s) => !s.training);
	const older = real.slice(0, Math.max(0, real.length - 3));
	const recent = planned.slice(older.length);
	const cafeByMonth = new Map<string, number>();
	const countCafe = (at: Date, lines: ReceiptLine[]) => {
		const month = wallClock(at, ctx.timezone).date.slice(0, 7);
		cafeByMonth.set(month, (cafeByMonth.get(month) ?? 0) + lines.filter((l) => l.activity === 'cafe').reduce((sum, l) => sum + l.htCents, 0));
	};
	await appendDemoHistory(tx, ctx, staff, admin, ids, older, countCafe);
	// why: recordSale and recordCorrection open their own transaction; inside ours it becomes a savepoint.
	const db = tx as unknown as Db;
	for (const s of recent) {
		const r = await recordSale(db, staff, { lines: s.lines, payments: [{ method: s.method }], audience: s.audience, training: s.training ?? false }, { now: s.at });
		if (s.correct) await recordCorrection(db, admin, { receiptId: r.id }, { now: new Date(s.at.getTime() + 90_000) });
		else if (!s.training) countCafe(s.at, r.lines);
	}

	const months = lastMonths(wallClock(ctx.now, ctx.timezone).date, DEMO_HISTORY_MONTHS + 1);
	// The history is closed like a real till's: each past month up to its last day, then the month itself, and
	// the current month up to yesterday, so today's service starts on a closed journal.
	const today = wallClock(ctx.now, ctx.timezone).date;
	const closeOpts = { now: ctx.now };
	for (const m of [...months].sort()) {
		const [y, mo] = m.split('-').map(Number);
		const lastDay = addDays(mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`, -1);
		if (lastDay >= today) continue;
		await closeDay(db, staff, { date: lastDay }, closeOpts);
		await closeMonth(db, admin, { month: m.slice(0, 7) }, closeOpts);
	}
	const yesterday = addDays(today, -1);
	if (yesterday.slice(0, 7) === today.slice(0, 7)) await closeDay(db, staff, { date: yesterday }, closeOpts);
	const costs = months.flatMap((m) => demoCosts(m, cafeByMonth.get(m) ?? 0).map((c) => ({ id: newId(), placeId: ctx.placeId, month: `${m}-01`, ...c })));
	await tx.insert(costEntry).values(costs.filter((c) => c.amountCents > 0));
	const year = +months[0].slice(0, 4);
	await tx.insert(subsidy).values([
		{ id: newId(), placeId: ctx.placeId, funder: 'Région Île-de-France', amountCents: 4_500_000, grantedOn: `${year - 1}-03-15`, receivedOn: `${year - 1}-06-30`, purpose: 'Aménagement de l’espace machine (découpeuse laser, fraiseuse numérique, aspiration)' },
		{ id: newId(), placeId: ctx.placeId, funder: 'Fondation pour l’alimentation durable', amountCents: 1_800_000, grantedOn: `${year}-01-20`, receivedOn: null, purpose: 'Équipement de la cuisine de la cantine (four mixte, chambre froide)' }
	]);
	await audit(tx, { placeId: ctx.placeId, actorId: ctx.actorId, action: 'demo.finances', targetType: 'place', targetId: ctx.placeId, data: { costs: costs.length, subsidies: 2 } });
	return ids;
}
