// Pure accounting rules: FEC format (18 columns, header, dates, comma amounts, numbering, balance on random
// data), file name, French CSV (BOM, ";", CRLF, quoting), VAT summary, sales per activity, chart geometry.
import { describe, expect, it } from 'vitest';
import {
	activityCsv,
	activityMonths,
	buildFec,
	entryBalance,
	FEC_COLUMNS,
	fecFileName,
	frAmount,
	frCsv,
	isDay,
	lastMonths,
	monthEnd,
	revenueAccount,
	tillDailyEntries,
	encodeLatin9,
	vatSummary,
	vatSummaryCsv,
	type AccountingEntry,
	type DayLineTotal,
	type DayPaymentTotal
} from './accounting-rules';
import { parseEuros, costInput, periodInput, subsidyInput } from './accounting-inputs';
import { chartModel } from './finance-chart';
import { buildLine, settlePayments } from './rules';
import { ACTIVITIES, PAYMENT_METHODS, type Activity, type PaymentMethod, type ReceiptLine } from './schema';

const t = (k: string) => `«${k}»`;

/** A small seeded generator for the property tests. */
function rng(seed: number) {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let x = Math.imul(a ^ (a >>> 15), a | 1);
		x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
		return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
	};
}

/** Aggregates receipts the way the SQL of accounting.server does (per day, activity, rate; per day, method). */
function aggregate(receipts: Array<{ day: string; lines: ReceiptLine[]; payments: Array<{ method: PaymentMethod; amountCents: number }> }>) {
	const lines = new Map<string, DayLineTotal>();
	const pays = new Map<string, DayPaymentTotal>();
	for (const r of receipts) {
		for (const l of r.lines) {
			const k = `${r.day}|${l.activity}|${l.rateBp}|${l.outsideScope}|${Boolean(l.voucher)}`;
			const x = lines.get(k) ?? { day: r.day, activity: l.activity, rateBp: l.rateBp, outsideScope: l.outsideScope, ...(l.voucher ? { voucher: true } : {}), htCents: 0, vatCents: 0, ttcCents: 0 };
			x.htCents += l.htCents;
			x.vatCents += l.vatCents;
			x.ttcCents += l.totalCents;
			lines.set(k, x);
		}
		for (const p of r.payments) {
			const k = `${r.day}|${p.method}`;
			const x = pays.get(k) ?? { day: r.day, method: p.method, amountCents: 0 };
			x.amountCents += p.amountCents;
			pays.set(k, x);
		}
	}
	return { lines: [...lines.values()], payments: [...pays.values()] };
}

const RATES: Array<{ rateBp: number; outsideScope: boolean }> = [
	{ rateBp: 1000, outsideScope: false },
	{ rateBp: 2000, outsideScope: false },
	{ rateBp: 550, outsideScope: false },
	{ rateBp: 0, outsideScope: true }
];

/** Random receipts over a few days: random lines, rates, split payments, and corrections (negative). */
function randomReceipts(seed: number, n: number) {
	const r = rng(seed);
	const int = (a: number, b: number) => a + Math.floor(r() * (b - a + 1));
	const out: Array<{ day: string; lines: ReceiptLine[]; payments: Array<{ method: PaymentMethod; amountCents: number }>; totalCents: number }> = [];
	for (let i = 0; i < n; i++) {
		const day = `2026-03-0${int(1, 5)}`;
		const lines = Array.from({ length: int(1, 5) }, (_, j) => {
			const rate = RATES[int(0, RATES.length - 1)];
			const activity: Activity = rate.outsideScope ? 'shares' : ACTIVITIES.filter((a) => a !== 'shares')[int(0, 5)];
			return buildLine({ productId: `p${j}`, label: 'x', activity, quantity: int(1, 4), unitPriceCents: int(1, 9999), context: 'on_site', rate });
		});
		const total = lines.reduce((s, l) => s + l.totalCents, 0);
		const first = int(0, total);
		const payments =
			r() < 0.5
				? settlePayments(total, [{ method: PAYMENT_METHODS[int(0, 3)] }])!
				: settlePayments(total, [{ method: 'cash', amountCents: first }, { method: PAYMENT_METHODS[int(1, 3)] }]) ?? settlePayments(total, [{ method: 'card' }])!;
		out.push({ day, lines, payments, totalCents: total });
		if (r() < 0.15)
			out.push({
				day,
				lines: lines.map((l) => ({ ...l, quantity: -l.quantity, totalCents: -l.totalCents, htCents: -l.htCents, vatCents: -l.vatCents })),
				payments: payments.map((p) => ({ method: p.method, amountCents: -p.amountCents })),
				totalCents: -total
			});
	}
	return out;
}

describe('amounts and dates', () => {
	it('formats cents with a comma and no thousands separator', () => {
		expect(frAmount(0)).toBe('0,00');
		expect(frAmount(5)).toBe('0,05');
		expect(frAmount(123456)).toBe('1234,56');
		expect(frAmount(-1050)).toBe('-10,50');
		expect(() => frAmount(1.5)).toThrow(RangeError);
	});
	it('reads euros typed in a French form into cents, never floats', () => {
		expect(parseEuros('1 234,56')).toBe(123456);
		expect(parseEuros('1234.5')).toBe(123450);
		expect(parseEuros('800 €')).toBe(80000);
		expect(parseEuros('0,1')).toBe(10);
		expect(parseEuros('12,345')).toBeUndefined();
		expect(parseEuros('-3')).toBeUndefined();
		expect(parseEuros('abc')).toBeUndefined();
		expect(parseEuros('')).toBeUndefined();
	});
	it('checks calendar days, month ends and the last twelve months', () => {
		expect(isDay('2026-02-28')).toBe(true);
		expect(isDay('2026-02-30')).toBe(false);
		expect(isDay('2026-2-3')).toBe(false);
		expect(monthEnd('2024-02-10')).toBe('2024-02-29');
		expect(lastMonths('2026-03-15', 4)).toEqual(['2025-12', '2026-01', '2026-02', '2026-03']);
	});
});

describe('inputs', () => {
	it('costs: month YYYY-MM, known category, positive amount in euros', () => {
		expect(costInput.parse({ month: '2026-03', category: 'rent', amount: '1 800,00' })).toEqual({ month: '2026-03', category: 'rent', label: '', amount: 180000 });
		const bad = costInput.safeParse({ month: '2026-13', category: 'yacht', amount: '-5' });
		expect(bad.success).toBe(false);
		expect(bad.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
			['month', 'field.acct_month_invalid'],
			['category', 'field.invalid'],
			['amount', 'field.acct_amount_invalid']
		]);
	});
	it('subsidies: received after granted; periods: ordered and at most two years', () => {
		expect(subsidyInput.safeParse({ funder: 'Région', amount: '45000', grantedOn: '2026-03-01', receivedOn: '2026-02-01' }).error?.issues[0].message).toBe('field.acct_received_before_granted');
		expect(subsidyInput.parse({ funder: 'Région', amount: 450, grantedOn: '2026-03-01', receivedOn: '' }).amount).toBe(45000);
		expect(periodInput.safeParse({ from: '2026-03-01', to: '2026-02-01' }).error?.issues[0].message).toBe('field.acct_period_reversed');
		expect(periodInput.safeParse({ from: '2020-01-01', to: '2026-02-01' }).error?.issues[0].message).toBe('field.acct_period_too_long');
		expect(periodInput.safeParse({ from: '2026-02-31', to: '2026-03-01' }).error?.issues[0].message).toBe('field.acct_date_invalid');
	});
});

describe('daily entries of the till journal', () => {
	it('one balanced entry per day: payments debited, revenue per activity and rate, VAT per rate, shares to capital', () => {
		const lines = [
			buildLine({ productId: 'a', label: 'Plat', activity: 'cafe', quantity: 2, unitPriceCents: 1250, context: 'on_site', rate: { rateBp: 1000, outsideScope: false } }),
			buildLine({ productId: 'b', label: 'Bière', activity: 'cafe', quantity: 1, unitPriceCents: 450, context: 'on_site', rate: { rateBp: 2000, outsideScope: false } }),
			buildLine({ productId: 'c', label: 'Laser', activity: 'machines', quantity: 1, unitPriceCents: 3000, context: 'on_site', rate: { rateBp: 2000, outsideScope: false } }),
			buildLine({ productId: 'd', label: 'Part', activity: 'shares', quantity: 2, unitPriceCents: 5000, context: 'on_site', rate: { rateBp: 0, outsideScope: true } })
		];
		const agg = aggregate([{ day: '2026-03-02', lines, payments: [{ method: 'card', amountCents: 10000 }, { method: 'cash', amountCents: 5950 }] }]);
		const [e, ...rest] = tillDailyEntries(agg.lines, agg.payments, [{ day: '2026-03-02', count: 1, firstNumber: 7, lastNumber: 7 }]);
		expect(rest).toEqual([]);
		expect(e).toMatchObject({ journalCode: 'VT', date: '2026-03-02', pieceRef: 'Z20260302' });
		expect(e.lines[0].label).toBe('Ventes comptoir 02/03/2026 (tickets 7 à 7)');
		expect(e.lines.map((l) => [l.account, l.debitCents, l.creditCents])).toEqual([
			['511500', 10000, 0],
			['530000', 5950, 0],
			['101300', 0, 10000],
			['445711', 0, 75 + 500],
			['445712', 0, 227],
			['706120', 0, 2500],
			['707110', 0, 2273],
			['707120', 0, 375]
		]);
		expect(entryBalance(e)).toEqual({ debit: 15950, credit: 15950 });
	});
	it('prepaid credit sold goes to the customers’ prepaid account, which spending it from the wallet empties', () => {
		const credit = buildLine({ productId: 'wallet_credit', label: 'Crédit porte-monnaie', activity: 'other', quantity: 1, unitPriceCents: 2000, context: 'on_site', rate: { rateBp: 0, outsideScope: true }, voucher: true });
		expect(credit.voucher).toBe(true);
		const donation = buildLine({ productId: 'don', label: 'Don', activity: 'other', quantity: 1, unitPriceCents: 500, context: 'on_site', rate: { rateBp: 0, outsideScope: true } });
		expect('voucher' in donation).toBe(false);
		const plat = buildLine({ productId: 'a', label: 'Plat', activity: 'cafe', quantity: 1, unitPriceCents: 1100, context: 'on_site', rate: { rateBp: 1000, outsideScope: false } });
		const agg = aggregate([
			{ day: '2026-03-02', lines: [credit, donation], payments: [{ method: 'online', amountCents: 2500 }] },
			{ day: '2026-03-03', lines: [plat], payments: [{ method: 'wallet', amountCents: 1100 }] }
		]);
		const [topUp, spend] = tillDailyEntries(agg.lines, agg.payments, []);
		expect(topUp.lines.map((l) => [l.account, l.debitCents, l.creditCents])).toEqual([
			['511600', 2500, 0],
			['419100', 0, 2000],
			['758000', 0, 500]
		]);
		expect(spend.lines.map((l) => [l.account, l.debitCents, l.creditCents])).toEqual([
			['419100', 1100, 0],
			['445712', 0, 100],
			['707110', 0, 1000]
		]);
	});
	it('a sale cancelled the same day leaves no entry; overrides replace accounts', () => {
		const l = buildLine({ productId: 'a', label: 'Plat', activity: 'cafe', quantity: 1, unitPriceCents: 1250, context: 'on_site', rate: { rateBp: 1000, outsideScope: false } });
		const neg = { ...l, quantity: -1, totalCents: -1250, htCents: -l.htCents, vatCents: -l.vatCents };
		const agg = aggregate([
			{ day: '2026-03-02', lines: [l], payments: [{ method: 'cash', amountCents: 1250 }] },
			{ day: '2026-03-02', lines: [neg], payments: [{ method: 'cash', amountCents: -1250 }] }
		]);
		expect(tillDailyEntries(agg.lines, agg.payments, [])).toEqual([]);
		const one = aggregate([{ day: '2026-03-02', lines: [l], payments: [{ method: 'cash', amountCents: 1250 }] }]);
		const [e] = tillDailyEntries(one.lines, one.payments, [], { 'revenue:cafe': '706000', 'payment:cash': '531000' });
		expect(e.lines.map((x) => x.account)).toEqual(['531000', '445712', '706000']);
		expect(revenueAccount('events', 2000).account).toBe('706220');
	});
	it('property: on random receipts with corrections, every daily entry balances and totals match the receipts', () => {
		for (let seed = 1; seed <= 40; seed++) {
			const receipts = randomReceipts(seed, 60);
			const agg = aggregate(receipts);
			const entries = tillDailyEntries(agg.lines, agg.payments, []);
			for (const e of entries) {
				const b = entryBalance(e);
				expect(b.debit, `seed ${seed} ${e.date}`).toBe(b.credit);
				for (const l of e.lines) expect(l.debitCents >= 0 && l.creditCents >= 0 && (l.debitCents === 0) !== (l.creditCents === 0)).toBe(true);
			}
			// Net over the period: payments debited minus credited = sum of the receipts' totals.
			const net = entries.flatMap((e) => e.lines).filter((l) => /^5/.test(l.account)).reduce((s, l) => s + l.debitCents - l.creditCents, 0);
			expect(net).toBe(receipts.reduce((s, r) => s + r.totalCents, 0));
			const fec = buildFec(entries);
			expect(fec.debitCents).toBe(fec.creditCents);
		}
	});
});

describe('FEC file', () => {
	const entry = (date: string, journalCode = 'VT'): AccountingEntry => ({
		journalCode,
		journalLabel: 'Ventes comptoir',
		date,
		pieceRef: `Z${date.replaceAll('-', '')}`,
		pieceDate: date,
		validDate: date,
		lines: [
			{ account: '530000', accountLabel: 'Caisse', label: 'Ventes\tdu jour', debitCents: 123456, creditCents: 0 },
			{ account: '707110', accountLabel: 'Ventes café-cantine 10 %', label: 'Ventes du jour', debitCents: 0, creditCents: 112233 },
			{ account: '445712', accountLabel: 'TVA collectée 10 %', label: 'Ventes du jour', debitCents: 0, creditCents: 11223 }
		]
	});
	it('has the 18 official columns in order, tab-separated, CRLF, YYYYMMDD dates, comma amounts, sequential numbers', () => {
		const fec = buildFec([entry('2026-03-03'), entry('2026-03-02'), entry('2026-03-02', 'VE')]);
		const rows = fec.text.split('\r\n');
		expect(rows.pop()).toBe('');
		expect(rows[0]).toBe('JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise');
		expect(FEC_COLUMNS).toHaveLength(18);
		expect(rows).toHaveLength(1 + 9);
		for (const r of rows) expect(r.split('\t')).toHaveLength(18);
		const cells = rows.slice(1).map((r) => Object.fromEntries(r.split('\t').map((v, i) => [FEC_COLUMNS[i], v])));
		// Sorted by date then journal; numbered 1, 2, 3 (one number per entry, continuous).
		expect(cells.map((c) => [c.EcritureDate, c.JournalCode, c.EcritureNum])).toEqual([
			['20260302', 'VE', '1'],
			['20260302', 'VE', '1'],
			['20260302', 'VE', '1'],
			['20260302', 'VT', '2'],
			['20260302', 'VT', '2'],
			['20260302', 'VT', '2'],
			['20260303', 'VT', '3'],
			['20260303', 'VT', '3'],
			['20260303', 'VT', '3']
		]);
		expect(cells[0]).toMatchObject({ CompteNum: '530000', Debit: '1234,56', Credit: '0,00', PieceDate: '20260302', ValidDate: '20260302', EcritureLib: 'Ventes du jour', Idevise: '', Montantdevise: '' });
		expect(cells[1]).toMatchObject({ Debit: '0,00', Credit: '1122,33' });
		expect(fec).toMatchObject({ entryCount: 3, lineCount: 9, debitCents: 3 * 123456, creditCents: 3 * 123456 });
	});
	it('refuses an unbalanced entry', () => {
		const e = entry('2026-03-02');
		e.lines[0].debitCents += 1;
		expect(() => buildFec([e])).toThrow(/unbalanced/);
	});
	it('is named <SIREN>FEC<period end>.txt, and says so when the place has no SIRET', () => {
		expect(fecFileName('123 456 789 00012', '2026-12-31')).toBe('123456789FEC20261231.txt');
		expect(fecFileName(null, '2026-12-31')).toBe('SANSSIRENFEC20261231.txt');
		expect(fecFileName('12', '2026-12-31')).toBe('SANSSIRENFEC20261231.txt');
	});
});

describe('CSV for French spreadsheets', () => {
	it('starts with a BOM, separates with ";", ends lines with CRLF, quotes and defuses formulas', () => {
		const csv = frCsv([
			['a;b', 'dit "oui"', '=SUM(A1)', '-12,50', '-x'],
			[1, 'deux']
		]);
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		expect(csv.slice(1)).toBe('"a;b";"dit ""oui""";\'=SUM(A1);-12,50;\'-x\r\n1;deux\r\n');
	});
	it('VAT summary per rate, taxable total, outside scope apart', () => {
		const s = vatSummary([
			{ day: '2026-03-02', activity: 'cafe', rateBp: 1000, outsideScope: false, htCents: 909, vatCents: 91, ttcCents: 1000 },
			{ day: '2026-03-03', activity: 'cafe', rateBp: 1000, outsideScope: false, htCents: 1818, vatCents: 182, ttcCents: 2000 },
			{ day: '2026-03-03', activity: 'machines', rateBp: 2000, outsideScope: false, htCents: 2500, vatCents: 500, ttcCents: 3000 },
			{ day: '2026-03-03', activity: 'shares', rateBp: 0, outsideScope: true, htCents: 5000, vatCents: 0, ttcCents: 5000 }
		]);
		expect(s.taxable).toEqual({ htCents: 5227, vatCents: 773, ttcCents: 6000 });
		expect(s.outside).toEqual({ htCents: 5000, vatCents: 0, ttcCents: 5000 });
		const csv = vatSummaryCsv(s, { from: '2026-03-01', to: '2026-03-31' }, t);
		expect(csv.slice(1).split('\r\n')).toEqual([
			'«accounting.csv.period»;2026-03-01;2026-03-31',
			'«accounting.csv.rate»;«accounting.csv.ht»;«accounting.csv.vat»;«accounting.csv.ttc»',
			'20 %;25,00;5,00;30,00',
			'10 %;27,27;2,73;30,00',
			'«accounting.csv.total_taxable»;52,27;7,73;60,00',
			'«accounting.csv.outside_scope»;50,00;0,00;50,00',
			''
		]);
	});
	it('sales per activity and month (revenue only, shares left out), with the receipt counts', () => {
		const rows = activityMonths(
			[
				{ day: '2026-02-27', activity: 'cafe', rateBp: 1000, outsideScope: false, htCents: 909, vatCents: 91, ttcCents: 1000 },
				{ day: '2026-03-02', activity: 'cafe', rateBp: 1000, outsideScope: false, htCents: 909, vatCents: 91, ttcCents: 1000 },
				{ day: '2026-03-02', activity: 'cafe', rateBp: 2000, outsideScope: false, htCents: 375, vatCents: 75, ttcCents: 450 },
				{ day: '2026-03-02', activity: 'shares', rateBp: 0, outsideScope: true, htCents: 5000, vatCents: 0, ttcCents: 5000 }
			],
			[
				{ month: '2026-02', activity: 'cafe', count: 1 },
				{ month: '2026-03', activity: 'cafe', count: 2 }
			]
		);
		expect(rows).toEqual([
			{ month: '2026-02', activity: 'cafe', htCents: 909, vatCents: 91, ttcCents: 1000, count: 1 },
			{ month: '2026-03', activity: 'cafe', htCents: 1284, vatCents: 166, ttcCents: 1450, count: 2 }
		]);
		expect(activityCsv(rows, t).slice(1).split('\r\n')[2]).toBe('2026-03;«money.activity.cafe»;12,84;1,66;14,50;2');
	});
});

describe('revenue chart', () => {
	it('stacks the activities of each month and draws one break-even segment per month at the costs level', () => {
		const m = chartModel([
			{ month: '2026-01', revenue: { cafe: 600000, machines: 200000 }, costsCents: 1000000 },
			{ month: '2026-02', revenue: { cafe: 900000 }, costsCents: 0 },
			{ month: '2026-03', revenue: {}, costsCents: 500000 }
		]);
		expect(m.bars.map((b) => [b.month, b.activity])).toEqual([
			['2026-01', 'cafe'],
			['2026-01', 'machines'],
			['2026-02', 'cafe']
		]);
		const [cafe, machines] = m.bars;
		expect(machines.y + machines.height).toBeCloseTo(cafe.y, 0);
		expect(cafe.height / machines.height).toBeCloseTo(3, 1);
		expect(m.breakEven.match(/M/g)).toHaveLength(2);
		expect(m.yTicks[0].cents).toBe(0);
		expect(m.xLabels.map((l) => l.month)).toEqual(['2026-01', '2026-02', '2026-03']);
		// The costs of January (10 000 €) sit above its revenue (8 000 €): the segment is higher than the bar top.
		const janY = Number(/M[\d.]+,([\d.]+)/.exec(m.breakEven)![1]);
		expect(janY).toBeLessThan(machines.y);
	});
});

describe('FEC in ISO 8859-15', () => {
	it('keeps French letters and the euro sign on one byte each, folds typographic quotes, replaces the rest', () => {
		const bytes = encodeLatin9('Café œuf 12 € l’été « ok » 🍺');
		expect(Buffer.from(bytes).toString('latin1')).toBe('Caf\u00e9 \u00bduf 12 \u00a4 l\'\u00e9t\u00e9 \u00ab ok \u00bb ?');
		expect(bytes[3]).toBe(0xe9);
		expect([...encodeLatin9('€Œœ')]).toEqual([0xa4, 0xbc, 0xbd]);
		// a Latin-1 character whose byte Latin-9 gave to another letter cannot be written: "?"
		expect([...encodeLatin9('¤')]).toEqual([0x3f]);
		expect(new TextDecoder('iso-8859-15').decode(encodeLatin9('Ventes comptoir 02/03/2026 — 12,50 €'))).toBe('Ventes comptoir 02/03/2026 - 12,50 €');
	});
});
