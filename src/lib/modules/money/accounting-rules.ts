// Pure accounting rules: the default chart of accounts (PCG) and its overrides, the daily summary entries of
// the till journal, the FEC file (art. A47 A-1 LPF), the VAT summary and the per-activity CSV. No I/O.
import type { Activity, PaymentMethod } from './schema';
import { ACTIVITIES, PAYMENT_METHODS } from './schema';

// ---------------------------------------------------------------------------------------------------------
// Aggregates read from the journal (one row per day and key; days are YYYY-MM-DD in the place's zone)

/** Sum of the receipt lines of one day for one activity and VAT rate (corrections count negative). */
export interface DayLineTotal {
	day: string;
	activity: Activity;
	rateBp: number;
	outsideScope: boolean;
	/** Prepaid credit sold: credited to the customers' prepaid account (419), like a wallet payment debits it. */
	voucher?: boolean;
	htCents: number;
	vatCents: number;
	ttcCents: number;
}

/** Sum of the payments of one day for one method (corrections count negative). */
export interface DayPaymentTotal {
	day: string;
	method: PaymentMethod;
	amountCents: number;
}

/** Receipts of one day: how many, first and last number (main series). */
export interface DayReceipts {
	day: string;
	count: number;
	firstNumber: number;
	lastNumber: number;
}

// ---------------------------------------------------------------------------------------------------------
// Accounting entries: what every source (till journal today, invoices later) gives the FEC builder

/** One line of an accounting entry: an account debited or credited (one side only, amounts ≥ 0). */
export interface EntryLine {
	account: string;
	accountLabel: string;
	label: string;
	debitCents: number;
	creditCents: number;
	/** Auxiliary (customer) account, for invoices; empty for till sales (no personal data). */
	auxAccount?: string;
	auxLabel?: string;
}

/** A balanced accounting entry of one journal (sum of debits = sum of credits). */
export interface AccountingEntry {
	journalCode: string;
	journalLabel: string;
	/** YYYY-MM-DD */
	date: string;
	pieceRef: string;
	/** YYYY-MM-DD */
	pieceDate: string;
	/** YYYY-MM-DD: when the entry became final (a till sale is final when recorded). */
	validDate: string;
	lines: EntryLine[];
}

/**
 * A source of accounting entries for a period (inclusive YYYY-MM-DD days in the place's zone). The FEC
 * concatenates every source's entries, sorts them by date and numbers them: the till journal is one source;
 * invoices (customer ledger, journal "VE") will be a second one without changing the builder.
 */
export interface AccountingEntriesSource<Ctx> {
	/** Short name (logs, tests). */
	name: string;
	entries(ctx: Ctx, period: { from: string; to: string }): Promise<AccountingEntry[]>;
}

// ---------------------------------------------------------------------------------------------------------
// Chart of accounts (PCG defaults, overridable per place)

/** Overrides of a place: key → account number (see accountKey*). */
export type AccountOverrides = Readonly<Record<string, string>>;

/** Two-digit code of a VAT rate appended to revenue accounts (10 % → "10", 5.5 % → "05", 2.1 % → "02"). */
export function rateCode(rateBp: number): string {
	return String(Math.floor(rateBp / 100)).padStart(2, '0').slice(-2);
}

/** Default base (4 digits) of the revenue account of each activity; the rate code completes it to 6. */
export const REVENUE_BASE: Record<Activity, { account: string; label: string }> = {
	// why: meals and drinks cooked or served here are sales of goods in most cafés' charts (707); services
	// (machine time, workshops) are 706; rents and memberships with a counterpart are ancillary revenue (708).
	cafe: { account: '7071', label: 'Ventes café-cantine' },
	machines: { account: '7061', label: 'Prestations espace machine' },
	events: { account: '7062', label: 'Ateliers et événements' },
	residents: { account: '7083', label: 'Locations résidents' },
	memberships: { account: '7084', label: 'Adhésions avec contrepartie' },
	shares: { account: '7088', label: 'Autres produits' },
	other: { account: '7088', label: 'Autres produits' }
};

/** Default VAT collected accounts per rate. */
const VAT_ACCOUNTS: Record<number, string> = { 2000: '445711', 1000: '445712', 550: '445713', 210: '445714' };

/** Default payment accounts (PCG): cash 530, card 5115, cheques 5112, transfers 512, online (Stripe, HelloAsso) 5116, prepaid wallet credit 4191. */
export const PAYMENT_ACCOUNTS: Record<PaymentMethod, { account: string; label: string }> = {
	cash: { account: '530000', label: 'Caisse' },
	card: { account: '511500', label: 'Cartes bancaires à l’encaissement' },
	cheque: { account: '511200', label: 'Chèques à encaisser' },
	transfer: { account: '512000', label: 'Banque' },
	online: { account: '511600', label: 'Paiements en ligne à encaisser' },
	wallet: { account: '419100', label: 'Clients – crédits prépayés' }
};

export const accountKey = {
	revenue: (a: Activity) => `revenue:${a}`,
	vat: (rateBp: number) => `vat:${rateBp}`,
	payment: (m: PaymentMethod) => `payment:${m}`,
	outside: (a: Activity) => `outside:${a}`
};

/** Every key an admin may override, with its default account (the settings form lists these). */
export function defaultAccounts(): Array<{ key: string; account: string }> {
	return [
		...ACTIVITIES.filter((a) => a !== 'shares').map((a) => ({ key: accountKey.revenue(a), account: `${REVENUE_BASE[a].account}xx` })),
		...[2000, 1000, 550, 210].map((r) => ({ key: accountKey.vat(r), account: VAT_ACCOUNTS[r] })),
		...PAYMENT_METHODS.map((m) => ({ key: accountKey.payment(m), account: PAYMENT_ACCOUNTS[m].account })),
		{ key: accountKey.outside('shares'), account: '101300' },
		{ key: accountKey.outside('other'), account: '758000' }
	];
}

/** An account number is digits (class 1–8, 3 digits at least) optionally followed by digits or capitals. */
export const ACCOUNT_RE = /^[1-8][0-9]{2}[0-9A-Z]{0,9}$/;

/** Revenue account of an activity at a rate: the override (whole account) or base + rate code. */
export function revenueAccount(activity: Activity, rateBp: number, o: AccountOverrides = {}): { account: string; label: string } {
	const base = REVENUE_BASE[activity];
	const label = `${base.label} ${formatRate(rateBp)}`;
	return { account: o[accountKey.revenue(activity)] ?? `${base.account}${rateCode(rateBp)}`, label };
}

/** VAT collected account of a rate. */
export function vatAccount(rateBp: number, o: AccountOverrides = {}): { account: string; label: string } {
	return { account: o[accountKey.vat(rateBp)] ?? VAT_ACCOUNTS[rateBp] ?? `44571${rateCode(rateBp).slice(0, 1)}`, label: `TVA collectée ${formatRate(rateBp)}` };
}

/** Payment account of a method. */
export function paymentAccount(method: PaymentMethod, o: AccountOverrides = {}): { account: string; label: string } {
	return { account: o[accountKey.payment(method)] ?? PAYMENT_ACCOUNTS[method].account, label: PAYMENT_ACCOUNTS[method].label };
}

/**
 * Account of an outside-scope line (no VAT, not revenue): share subscriptions go to the capital (1013,
 * "capital souscrit, appelé, versé"); other outside-scope receipts (donations) to 758.
 */
export function outsideAccount(activity: Activity, o: AccountOverrides = {}): { account: string; label: string } {
	if (activity === 'shares') return { account: o[accountKey.outside('shares')] ?? '101300', label: 'Capital souscrit, appelé, versé' };
	return { account: o[accountKey.outside('other')] ?? '758000', label: 'Produits divers hors champ TVA' };
}

/** "10 %", "5,5 %" (French, for account labels and CSV). */
export function formatRate(rateBp: number): string {
	return `${(rateBp / 100).toString().replace('.', ',')} %`;
}

// ---------------------------------------------------------------------------------------------------------
// Till journal → one summary entry per day

function addLine(lines: Map<string, EntryLine & { net: number }>, account: { account: string; label: string }, label: string, netDebit: number) {
	const l = lines.get(account.account) ?? { account: account.account, accountLabel: account.label, label, debitCents: 0, creditCents: 0, net: 0 };
	l.net += netDebit;
	lines.set(account.account, l);
}

/** YYYYMMDD from YYYY-MM-DD. */
export const compactDate = (d: string) => d.replaceAll('-', '');

/** DD/MM/YYYY from YYYY-MM-DD. */
const frDate = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

/**
 * One balanced entry per day of till sales in the sales journal ("VT"): debit each payment account with
 * what was cashed, credit the revenue accounts (per activity and rate, excluding VAT), VAT collected per
 * rate, prepaid credit sold to the customers' prepaid account (419100, the one a wallet payment debits) and,
 * for other outside-scope lines, the capital (shares) or 758. Amounts are netted per account over the
 * day (corrections included); a negative net goes to the other side. Days whose every account nets to zero
 * give no entry. No personal data: the piece is the day and its receipt numbers.
 */
export function tillDailyEntries(lines: readonly DayLineTotal[], payments: readonly DayPaymentTotal[], receipts: readonly DayReceipts[], overrides: AccountOverrides = {}): AccountingEntry[] {
	const days = [...new Set([...lines.map((l) => l.day), ...payments.map((p) => p.day)])].sort();
	const out: AccountingEntry[] = [];
	for (const day of days) {
		const r = receipts.find((x) => x.day === day);
		const label = r ? `Ventes comptoir ${frDate(day)} (tickets ${r.firstNumber} à ${r.lastNumber})` : `Ventes comptoir ${frDate(day)}`;
		const acc = new Map<string, EntryLine & { net: number }>();
		for (const p of payments.filter((x) => x.day === day)) addLine(acc, paymentAccount(p.method, overrides), label, p.amountCents);
		for (const l of lines.filter((x) => x.day === day)) {
			if (l.voucher) {
				addLine(acc, paymentAccount('wallet', overrides), label, -l.ttcCents);
				continue;
			}
			if (l.outsideScope) {
				addLine(acc, outsideAccount(l.activity, overrides), label, -l.ttcCents);
				continue;
			}
			addLine(acc, revenueAccount(l.activity, l.rateBp, overrides), label, -l.htCents);
			if (l.vatCents !== 0 || l.rateBp > 0) addLine(acc, vatAccount(l.rateBp, overrides), label, -l.vatCents);
		}
		const entryLines: EntryLine[] = [...acc.values()]
			.filter((l) => l.net !== 0)
			.map(({ net, ...l }) => ({ ...l, debitCents: net > 0 ? net : 0, creditCents: net < 0 ? -net : 0 }))
			// why: debits first (payments), then credits by account number: the order accountants read.
			.sort((a, b) => Number(b.debitCents > 0) - Number(a.debitCents > 0) || a.account.localeCompare(b.account));
		if (!entryLines.length) continue;
		out.push({ journalCode: 'VT', journalLabel: 'Ventes comptoir', date: day, pieceRef: `Z${compactDate(day)}`, pieceDate: day, validDate: day, lines: entryLines });
	}
	return out;
}

/** Sum of debits and of credits of an entry (cents). */
export function entryBalance(e: AccountingEntry): { debit: number; credit: number } {
	return e.lines.reduce((s, l) => ({ debit: s.debit + l.debitCents, credit: s.credit + l.creditCents }), { debit: 0, credit: 0 });
}

// ---------------------------------------------------------------------------------------------------------
// FEC

/** The 18 columns of the FEC, in the official order (art. A47 A-1 LPF). */
export const FEC_COLUMNS = [
	'JournalCode',
	'JournalLib',
	'EcritureNum',
	'EcritureDate',
	'CompteNum',
	'CompteLib',
	'CompAuxNum',
	'CompAuxLib',
	'PieceRef',
	'PieceDate',
	'EcritureLib',
	'Debit',
	'Credit',
	'EcritureLet',
	'DateLet',
	'ValidDate',
	'Montantdevise',
	'Idevise'
] as const;

/** Cents as a French decimal amount without thousands separator: 123456 → "1234,56", -5 → "-0,05". */
export function frAmount(cents: number): string {
	if (!Number.isSafeInteger(cents)) throw new RangeError('frAmount: integer cents expected');
	const sign = cents < 0 ? '-' : '';
	const abs = Math.abs(cents);
	return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** A field of a tab-separated FEC line: tabs, line breaks and pipes would break the columns. */
function fecField(s: string): string {
	return s.replace(/[\t\r\n|]+/g, ' ').trim();
}

/**
 * The FEC text: a header line with the 18 column names, then one line per entry line, tab-separated,
 * CRLF line ends, dates YYYYMMDD, amounts with a comma. Entries from every source are sorted by date,
 * journal and piece, then numbered 1, 2, 3… (EcritureNum, continuous and chronological). Throws if an
 * entry does not balance (never write an unbalanced FEC).
 */
export function buildFec(entries: readonly AccountingEntry[]): { text: string; entryCount: number; lineCount: number; debitCents: number; creditCents: number } {
	const sorted = [...entries].sort((a, b) => a.date.localeCompare(b.date) || a.journalCode.localeCompare(b.journalCode) || a.pieceRef.localeCompare(b.pieceRef));
	const rows: string[] = [FEC_COLUMNS.join('\t')];
	let debit = 0;
	let credit = 0;
	sorted.forEach((e, i) => {
		const b = entryBalance(e);
		if (b.debit !== b.credit) throw new RangeError(`unbalanced entry ${e.journalCode} ${e.date} ${e.pieceRef}: ${b.debit} ≠ ${b.credit}`);
		for (const l of e.lines) {
			if (l.debitCents < 0 || l.creditCents < 0 || (l.debitCents > 0 && l.creditCents > 0)) throw new RangeError('entry line: one side, positive');
			rows.push(
				[
					e.journalCode,
					e.journalLabel,
					String(i + 1),
					compactDate(e.date),
					l.account,
					l.accountLabel,
					l.auxAccount ?? '',
					l.auxLabel ?? '',
					e.pieceRef,
					compactDate(e.pieceDate),
					l.label,
					frAmount(l.debitCents),
					frAmount(l.creditCents),
					'',
					'',
					compactDate(e.validDate),
					'',
					''
				]
					.map(fecField)
					.join('\t')
			);
			debit += l.debitCents;
			credit += l.creditCents;
		}
	});
	return { text: rows.join('\r\n') + '\r\n', entryCount: sorted.length, lineCount: rows.length - 1, debitCents: debit, creditCents: credit };
}

/** SIREN = the first 9 digits of the SIRET (spaces ignored); undefined when there is no valid SIRET. */
export function sirenOf(siret: string | null | undefined): string | undefined {
	const digits = (siret ?? '').replace(/\s+/g, '');
	return /^\d{14}$/.test(digits) || /^\d{9}$/.test(digits) ? digits.slice(0, 9) : undefined;
}

/** `<SIREN>FEC<YYYYMMDD>.txt`; without a SIREN the name says so ("SANSSIRENFEC…"), never a made-up number. */
export function fecFileName(siret: string | null | undefined, periodEnd: string): string {
	return `${sirenOf(siret) ?? 'SANSSIREN'}FEC${compactDate(periodEnd)}.txt`;
}

// ---------------------------------------------------------------------------------------------------------
// CSV for French spreadsheets

/** CSV for French Excel: UTF-8 with BOM, `;` separators, CRLF, fields quoted when needed. */
export function frCsv(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
	const field = (v: string | number) => {
		const s = String(v);
		// why: a leading =, +, - or @ would run as a formula in a spreadsheet (CSV injection); amounts are
		// formatted by us and never start with one except negatives, which stay numbers.
		const safe = /^[=+@]/.test(s) || (/^-/.test(s) && !/^-\d+(,\d+)?$/.test(s)) ? `'${s}` : s;
		return /[";\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
	};
	return '\uFEFF' + rows.map((r) => r.map(field).join(';')).join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------------------------------------------------
// VAT summary and sales per activity

export interface VatSummaryRow {
	rateBp: number;
	outsideScope: boolean;
	htCents: number;
	vatCents: number;
	ttcCents: number;
}

/** Totals per VAT rate over the period (outside-scope lines apart, last), ordered by rate. */
export function vatSummary(lines: readonly DayLineTotal[]): { rows: VatSummaryRow[]; taxable: Omit<VatSummaryRow, 'rateBp' | 'outsideScope'>; outside: Omit<VatSummaryRow, 'rateBp' | 'outsideScope'> } {
	const by = new Map<string, VatSummaryRow>();
	for (const l of lines) {
		const key = `${l.outsideScope ? 'o' : 'v'}${l.outsideScope ? 0 : l.rateBp}`;
		const r = by.get(key) ?? { rateBp: l.outsideScope ? 0 : l.rateBp, outsideScope: l.outsideScope, htCents: 0, vatCents: 0, ttcCents: 0 };
		r.htCents += l.htCents;
		r.vatCents += l.vatCents;
		r.ttcCents += l.ttcCents;
		by.set(key, r);
	}
	const rows = [...by.values()].sort((a, b) => Number(a.outsideScope) - Number(b.outsideScope) || b.rateBp - a.rateBp);
	const sum = (rs: VatSummaryRow[]) => rs.reduce((s, r) => ({ htCents: s.htCents + r.htCents, vatCents: s.vatCents + r.vatCents, ttcCents: s.ttcCents + r.ttcCents }), { htCents: 0, vatCents: 0, ttcCents: 0 });
	return { rows, taxable: sum(rows.filter((r) => !r.outsideScope)), outside: sum(rows.filter((r) => r.outsideScope)) };
}

/** Labels of the CSV files, in the person's language. */
export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** The VAT summary as a French CSV (rate, HT, VAT, TTC; taxable total; outside scope apart). */
export function vatSummaryCsv(s: ReturnType<typeof vatSummary>, period: { from: string; to: string }, t: Translate): string {
	const rows: Array<Array<string | number>> = [[t('accounting.csv.period'), period.from, period.to], [t('accounting.csv.rate'), t('accounting.csv.ht'), t('accounting.csv.vat'), t('accounting.csv.ttc')]];
	for (const r of s.rows.filter((x) => !x.outsideScope)) rows.push([formatRate(r.rateBp), frAmount(r.htCents), frAmount(r.vatCents), frAmount(r.ttcCents)]);
	rows.push([t('accounting.csv.total_taxable'), frAmount(s.taxable.htCents), frAmount(s.taxable.vatCents), frAmount(s.taxable.ttcCents)]);
	rows.push([t('accounting.csv.outside_scope'), frAmount(s.outside.htCents), frAmount(0), frAmount(s.outside.ttcCents)]);
	return frCsv(rows);
}

export interface ActivityMonthRow {
	/** YYYY-MM */
	month: string;
	activity: Activity;
	htCents: number;
	vatCents: number;
	ttcCents: number;
	/** Net number of receipts with this activity (a correction counts −1). */
	count: number;
}

/** Revenue (lines within the VAT scope) per month and activity; counts come from the journal query. */
export function activityMonths(lines: readonly DayLineTotal[], counts: ReadonlyArray<{ month: string; activity: Activity; count: number }>): ActivityMonthRow[] {
	const by = new Map<string, ActivityMonthRow>();
	for (const l of lines) {
		if (l.outsideScope) continue;
		const month = l.day.slice(0, 7);
		const key = `${month}|${l.activity}`;
		const r = by.get(key) ?? { month, activity: l.activity, htCents: 0, vatCents: 0, ttcCents: 0, count: 0 };
		r.htCents += l.htCents;
		r.vatCents += l.vatCents;
		r.ttcCents += l.ttcCents;
		by.set(key, r);
	}
	for (const c of counts) {
		const r = by.get(`${c.month}|${c.activity}`);
		if (r) r.count = c.count;
	}
	return [...by.values()].sort((a, b) => a.month.localeCompare(b.month) || ACTIVITIES.indexOf(a.activity) - ACTIVITIES.indexOf(b.activity));
}

/** Sales per activity and month as a French CSV. */
export function activityCsv(rows: readonly ActivityMonthRow[], t: Translate): string {
	return frCsv([
		[t('accounting.csv.month'), t('accounting.csv.activity'), t('accounting.csv.ht'), t('accounting.csv.vat'), t('accounting.csv.ttc'), t('accounting.csv.count')],
		...rows.map((r) => [r.month, t(`money.activity.${r.activity}`), frAmount(r.htCents), frAmount(r.vatCents), frAmount(r.ttcCents), r.count])
	]);
}

// ---------------------------------------------------------------------------------------------------------
// Periods

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day YYYY-MM-DD (not 2026-02-30). */
export function isDay(s: unknown): s is string {
	if (typeof s !== 'string' || !DAY_RE.test(s)) return false;
	const d = new Date(`${s}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Last day of the month of a day. */
export function monthEnd(day: string): string {
	const d = new Date(Date.UTC(+day.slice(0, 4), +day.slice(5, 7), 0));
	return d.toISOString().slice(0, 10);
}

/** The n months ending with the month of `day`, oldest first, as YYYY-MM. */
export function lastMonths(day: string, n: number): string[] {
	const y = +day.slice(0, 4);
	const m = +day.slice(5, 7) - 1;
	return Array.from({ length: n }, (_, i) => {
		const d = new Date(Date.UTC(y, m - (n - 1 - i), 1));
		return d.toISOString().slice(0, 7);
	});
}

/** Default period of the exports: from the 1st of January of the current year to today. */
export function defaultPeriod(today: string): { from: string; to: string } {
	return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

// ISO 8859-15 (Latin-9) differs from Latin-1 in eight places, the euro sign first.
const LATIN9: Record<string, number> = { '€': 0xa4, Š: 0xa6, š: 0xa8, Ž: 0xb4, ž: 0xb8, Œ: 0xbc, œ: 0xbd, Ÿ: 0xbe };
const LATIN1_ONLY = new Set([0xa4, 0xa6, 0xa8, 0xb4, 0xb8, 0xbc, 0xbd, 0xbe]);
/** Typographic characters with a plain Latin-9 stand-in (apostrophes and quotes typed by French keyboards). */
const FOLD: Record<string, string> = { '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"', '\u2013': '-', '\u2014': '-', '\u2026': '...', '\u00a0': ' ', '\u202f': ' ' };

/**
 * Text as ISO 8859-15 bytes, the encoding art. A47 A-1 of the LPF names for the FEC next to ASCII: accented
 * French letters and the euro sign kept, typographic quotes folded, anything else becomes "?".
 */
export function encodeLatin9(text: string): Uint8Array<ArrayBuffer> {
	const out: number[] = [];
	for (const ch of text) {
		const c = FOLD[ch] ?? ch;
		for (const x of c) {
			const code = x.codePointAt(0)!;
			if (LATIN9[x] !== undefined) out.push(LATIN9[x]);
			else if (code < 0x100 && !LATIN1_ONLY.has(code)) out.push(code);
			else out.push(0x3f);
		}
	}
	return Uint8Array.from(out);
}
