// Invoices and credit notes on both engines: 50 concurrent invoices numbered 1..50 without gap or duplicate
// (on PostgreSQL through a pool of 20 connections), concurrent credit notes on one invoice never exceed it,
// the database refuses UPDATE and DELETE, the seller's identity is required, permissions, payments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { place } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { createPlace, addMember } from '../places/commands.server';
import { createUserRecord } from '../people/users.server';
import { resolvePlace, type PlaceContext } from '../../server/place-context';
import { createInvoice, getInvoice, getInvoiceSettings, issueCreditNote, listInvoices, recordInvoicePayment, updateInvoiceSettings } from './invoices.server';
import type { InvoiceInput } from './invoice-rules';

let database: Database;
let placeId: string;
let admin: PlaceContext;
let staff: PlaceContext;
let other: PlaceContext;

const customer = { kind: 'business' as const, name: 'Atelier Bois SARL', address: '12 av. Pierre Larousse', postcode: '92240', city: 'Malakoff', siret: '12345678900012', vatNumber: 'FR12123456789', email: 'compta@bois.test' };
const input = (lines: InvoiceInput['lines'] = [{ label: 'Location atelier', quantity: 1, unitPriceCents: 45000, vat: '2000' }]): InvoiceInput => ({ customer, lines });
const fieldsOf = async (p: Promise<unknown>) => {
	const e = await p.then(
		() => undefined,
		(x) => x
	);
	expect(e).toBeInstanceOf(AppError);
	return { code: (e as AppError).code, fields: (e as AppError).fields };
};

beforeAll(async () => {
	database = await freshDatabase({ poolSize: 20 });
	const db = database.db;
	const ids = await db.transaction(async (tx) => {
		const p = await createPlace(tx, { name: 'La Tréso', slug: 'treso-inv', address: '6 rue Gambetta, 92240 Malakoff', legalForm: 'scic' }, null);
		const q = await createPlace(tx, { name: 'Autre lieu', slug: 'autre-inv' }, null);
		placeId = p.id;
		const a = await createUserRecord(tx, { email: 'admin@inv.test', name: 'Admin', password: 'une phrase assez longue 42' });
		const s = await createUserRecord(tx, { email: 'staff@inv.test', name: 'Staff', password: 'une phrase assez longue 42' });
		await addMember(tx, p.id, a.id, 'admin', null);
		await addMember(tx, p.id, s.id, 'staff', null);
		await addMember(tx, q.id, a.id, 'admin', null);
		return { a: a.id, s: s.id };
	});
	admin = await resolvePlace(db, 'treso-inv', { id: ids.a, isOperator: false });
	staff = await resolvePlace(db, 'treso-inv', { id: ids.s, isOperator: false });
	other = await resolvePlace(db, 'autre-inv', { id: ids.a, isOperator: false });
});
afterAll(async () => {
	await database?.close();
});

describe('issuing invoices', () => {
	it('refuses without the seller’s SIRET, and staff without money.manage', async () => {
		expect(await fieldsOf(createInvoice(database.db, admin.scope, input()))).toEqual({ code: 'invalid_input', fields: { seller: 'invoice.seller_incomplete' } });
		await database.db.update(place).set({ siret: '98765432100015' }).where(eq(place.id, placeId));
		// above 150 EUR excluding VAT, a place that charges VAT must show its VAT number
		expect(await fieldsOf(createInvoice(database.db, admin.scope, input()))).toEqual({ code: 'invalid_input', fields: { seller: 'invoice.seller_vat_missing' } });
		await database.db.update(place).set({ vatNumber: 'FR45987654321' }).where(eq(place.id, placeId));
		expect((await fieldsOf(createInvoice(database.db, staff.scope, input()))).code).toBe('forbidden');
		expect((await fieldsOf(listInvoices(database.db, staff.scope))).code).toBe('forbidden');
		const [{ n }] = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM invoice`);
		expect(n).toBe(0);
	});

	it('issues an invoice with the seller snapshot, totals per rate, due date after the terms (Paris date)', async () => {
		await updateInvoiceSettings(database.db, admin.scope, { vatRegime: 'normal', paymentTermsDays: 45, latePenaltyRateBp: 1215, shareCapitalCents: 1_250_000, variableCapital: true, registration: 'RCS Nanterre 987 654 321', iban: 'FR76 3000 6000 0112 3456 7890 189' });
		// 23:30 UTC on 31 March is already 1 April in Paris
		const inv = await createInvoice(
			database.db,
			admin.scope,
			input([
				{ label: 'Location atelier', quantity: 1, unitPriceCents: 45000, vat: '2000' },
				{ label: 'Laser (h)', quantity: 1.5, unitPriceCents: 3333, vat: '2000' },
				{ label: 'Formation', quantity: 1, unitPriceCents: 30000, vat: 'exempt_training' }
			]),
			{ now: new Date('2026-03-31T23:30:00Z') }
		);
		expect(inv).toMatchObject({ kind: 'invoice', number: 1, reference: 'F-2026-000001', issueDate: '2026-04-01', dueDate: '2026-05-16', supplyDate: null });
		expect(inv.totals).toEqual([
			{ vat: '2000', rateBp: 2000, htCents: 50000, vatCents: 10000, ttcCents: 60000 },
			{ vat: 'exempt_training', rateBp: 0, htCents: 30000, vatCents: 0, ttcCents: 30000 }
		]);
		expect([inv.totalHtCents, inv.totalVatCents, inv.totalTtcCents]).toEqual([80000, 10000, 90000]);
		expect(inv.seller).toMatchObject({ name: 'La Tréso', siret: '98765432100015', vatNumber: 'FR45987654321', legalForm: 'scic', latePenaltyRateBp: 1215, iban: 'FR7630006000011234567890189', registration: 'RCS Nanterre 987 654 321' });
		expect(inv.customer).toMatchObject({ name: 'Atelier Bois SARL', country: 'FR' });
		const [a] = await database.query<{ action: string }>(`SELECT action FROM audit_log WHERE target_id = $1`, [inv.id]);
		expect(a.action).toBe('money.invoice');
		// another place cannot see it
		expect((await fieldsOf(getInvoice(database.db, other.scope, inv.id))).code).toBe('not_found');
		expect(await listInvoices(database.db, other.scope)).toEqual([]);
	});

	it('franchise en base: every line without VAT, whatever was chosen', async () => {
		await updateInvoiceSettings(database.db, admin.scope, { vatRegime: 'franchise', paymentTermsDays: 30, latePenaltyRateBp: 1000 });
		const inv = await createInvoice(database.db, admin.scope, input([{ label: 'Salle', quantity: 2, unitPriceCents: 5000, vat: '2000' }]));
		expect(inv.lines[0]).toMatchObject({ vat: 'franchise', rateBp: 0, htCents: 10000 });
		expect([inv.totalVatCents, inv.totalTtcCents]).toEqual([0, 10000]);
		await updateInvoiceSettings(database.db, admin.scope, { vatRegime: 'normal', paymentTermsDays: 30, latePenaltyRateBp: 1000 });
		expect((await getInvoiceSettings(database.db, admin.scope)).vatRegime).toBe('normal');
	});

	it('the database refuses to change or delete an issued invoice or a payment', async () => {
		const [{ id }] = await database.query<{ id: string }>(`SELECT id FROM invoice WHERE place_id = $1 AND number = 1 AND kind = 'invoice'`, [placeId]);
		await expect(database.exec(`UPDATE invoice SET total_ttc_cents = 0, total_ht_cents = 0, total_vat_cents = 0 WHERE id = '${id}'`)).rejects.toThrow(/append-only/);
		await expect(database.exec(`DELETE FROM invoice WHERE id = '${id}'`)).rejects.toThrow(/append-only/);
		await expect(database.exec(`TRUNCATE invoice CASCADE`)).rejects.toThrow(/append-only/);
		await recordInvoicePayment(database.db, admin.scope, { invoiceId: id, paidOn: '2026-04-10', method: 'transfer' });
		await expect(database.exec(`DELETE FROM invoice_payment WHERE invoice_id = '${id}'`)).rejects.toThrow(/append-only/);
		const [row] = await database.query<{ total_ttc_cents: number }>(`SELECT total_ttc_cents FROM invoice WHERE id = $1`, [id]);
		expect(row.total_ttc_cents).toBe(90000);
	});

	it('a payment is recorded once, not before the issue date', async () => {
		const [{ id }] = await database.query<{ id: string }>(`SELECT id FROM invoice WHERE place_id = $1 AND number = 1 AND kind = 'invoice'`, [placeId]);
		expect(await fieldsOf(recordInvoicePayment(database.db, admin.scope, { invoiceId: id, paidOn: '2026-04-11', method: 'cheque' }))).toEqual({ code: 'conflict', fields: { paidOn: 'invoice.already_paid' } });
		const d = await getInvoice(database.db, admin.scope, id);
		expect(d.payment).toMatchObject({ paidOn: '2026-04-10', method: 'transfer', amountCents: 90000 });
		expect(d.remainingCents).toBe(0);
		const second = await createInvoice(database.db, admin.scope, input(), { now: new Date('2026-04-02T10:00:00Z') });
		expect(await fieldsOf(recordInvoicePayment(database.db, admin.scope, { invoiceId: second.id, paidOn: '2026-04-01', method: 'cash' }))).toEqual({ code: 'invalid_input', fields: { paidOn: 'invoice.paid_before_issue' } });
	});
});

describe('under concurrency', () => {
	it('50 concurrent invoices are numbered without gap or duplicate', async () => {
		const before = (await database.query<{ n: number }>(`SELECT coalesce(max(number), 0)::int AS n FROM invoice WHERE place_id = $1 AND kind = 'invoice'`, [placeId]))[0].n;
		const made = await Promise.all(Array.from({ length: 50 }, (_, i) => createInvoice(database.db, admin.scope, input([{ label: `Ligne ${i}`, quantity: 1, unitPriceCents: 100 + i, vat: '2000' }]))));
		const numbers = made.map((m) => m.number).sort((a, b) => a - b);
		expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => before + i + 1));
		const all = await database.query<{ number: number; reference: string }>(`SELECT number, reference FROM invoice WHERE place_id = $1 AND kind = 'invoice' ORDER BY number`, [placeId]);
		expect(all.map((r) => r.number)).toEqual(Array.from({ length: before + 50 }, (_, i) => i + 1));
		expect(new Set(all.map((r) => r.reference)).size).toBe(all.length);
		const [seq] = await database.query<{ last_number: number }>(`SELECT last_number FROM invoice_sequence WHERE place_id = $1 AND kind = 'invoice'`, [placeId]);
		expect(seq.last_number).toBe(before + 50);
	});

	it('concurrent credit notes on one invoice never exceed it; each line at most its quantity', async () => {
		const inv = await createInvoice(
			database.db,
			admin.scope,
			input([
				{ label: 'Heures laser', quantity: 4, unitPriceCents: 2500, vat: '2000' },
				{ label: 'Café', quantity: 10, unitPriceCents: 150, vat: '1000' }
			])
		);
		expect(inv.totalTtcCents).toBe(12000 + 1650);
		// 12 attempts, each crediting one hour of laser and one coffee: only 4 can succeed (4 hours).
		const results = await Promise.allSettled(
			Array.from({ length: 12 }, () =>
				issueCreditNote(database.db, admin.scope, {
					invoiceId: inv.id,
					lines: [
						{ sourceLine: 0, quantity: 1 },
						{ sourceLine: 1, quantity: 1 }
					]
				})
			)
		);
		const ok = results.filter((r) => r.status === 'fulfilled');
		expect(ok).toHaveLength(4);
		for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).fields).toEqual({ 'lines.0.quantity': 'invoice.credit_exceeds_line' });
		const notes = await database.query<{ number: number; total: number; reference: string }>(
			`SELECT number, total_ttc_cents AS total, reference FROM invoice WHERE credited_invoice_id = $1 ORDER BY number`,
			[inv.id]
		);
		expect(notes.map((n) => n.number)).toEqual([1, 2, 3, 4]);
		expect(notes[0].reference).toMatch(/^AV-\d{4}-000001$/);
		const credited = notes.reduce((s, n) => s + n.total, 0);
		expect(credited).toBeLessThanOrEqual(inv.totalTtcCents);
		expect(credited).toBe(4 * (3000 + 165));
		const d = await getInvoice(database.db, admin.scope, inv.id);
		expect(d.creditableMilli).toEqual([0, 6000]);
		expect(d.remainingCents).toBe(inv.totalTtcCents - credited);
		// the rest of the coffees can still be credited, not one more
		expect(await fieldsOf(issueCreditNote(database.db, admin.scope, { invoiceId: inv.id, lines: [{ sourceLine: 1, quantity: 7 }] }))).toEqual({ code: 'invalid_input', fields: { 'lines.0.quantity': 'invoice.credit_exceeds_line' } });
		const last = await issueCreditNote(database.db, admin.scope, { invoiceId: inv.id, lines: [{ sourceLine: 1, quantity: 6 }] });
		expect(last).toMatchObject({ kind: 'credit_note', number: 5, creditedInvoiceId: inv.id, totalTtcCents: 990 });
		expect(last.lines).toEqual([{ label: 'Café', quantityMilli: 6000, unitPriceCents: 150, vat: '1000', rateBp: 1000, htCents: 900, sourceLine: 1 }]);
		expect((await getInvoice(database.db, admin.scope, inv.id)).remainingCents).toBe(0);
		const listed = (await listInvoices(database.db, admin.scope)).find((x) => x.id === inv.id);
		expect(listed?.creditedCents).toBe(inv.totalTtcCents);
		// a credit note cannot itself be credited; empty quantities are refused
		expect(await fieldsOf(issueCreditNote(database.db, admin.scope, { invoiceId: last.id, lines: [{ sourceLine: 0, quantity: 1 }] }))).toEqual({ code: 'invalid_input', fields: { invoiceId: 'invoice.not_an_invoice' } });
		expect(await fieldsOf(issueCreditNote(database.db, admin.scope, { invoiceId: inv.id, lines: [{ sourceLine: 0, quantity: 0 }] }))).toEqual({ code: 'invalid_input', fields: { lines: 'invoice.credit_empty' } });
	});
});
