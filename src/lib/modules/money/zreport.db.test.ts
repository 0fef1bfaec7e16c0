// Z report and archive access: cafe.sell or money.view for the Z report, money.view for the archive, the
// place's own closures only; the PDF is a PDF and names the place, the closure and its totals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { createPlace, addMember, updatePlaceSettings } from '../places/commands.server';
import { createUserRecord } from '../people/users.server';
import { resolvePlace, type PlaceContext } from '../../server/place-context';
import { createProduct, recordSale } from './commands.server';
import { closeDay, type Closure } from './closures.server';
import { zReport, zReportFileName, zReportPdf } from './zreport.server';
import { closureArchive } from './archive.server';

let database: Database;
const who: Record<string, PlaceContext> = {};
let z1: Closure;
let otherZ: Closure;

beforeAll(async () => {
	database = await freshDatabase();
	const ids = await database.db.transaction(async (tx) => {
		const a = await createPlace(tx, { name: 'Café Z', slug: 'cafe-zr' }, null);
		const b = await createPlace(tx, { name: 'Autre', slug: 'autre-zr' }, null);
		const out: Record<string, string> = {};
		for (const [k, role, place] of [['admin', 'admin', a.id], ['staff', 'staff', a.id], ['member', 'member', a.id], ['other', 'admin', b.id]] as const) {
			const u = await createUserRecord(tx, { email: `${k}@zr.test`, name: k, password: 'une phrase assez longue 42' });
			await addMember(tx, place, u.id, role, null);
			out[k] = u.id;
		}
		return out;
	});
	for (const k of ['admin', 'staff', 'member']) who[k] = await resolvePlace(database.db, 'cafe-zr', { id: ids[k], isOperator: false });
	who.other = await resolvePlace(database.db, 'autre-zr', { id: ids.other, isOperator: false });
	await updatePlaceSettings(database.db, who.admin.scope, { name: 'Café Z', address: '3 rue du Four, Malakoff', timezone: 'Europe/Paris', legalForm: 'association', siret: '73282932000074', vatNumber: 'FR44732829320', languages: ['fr', 'en'], enabledModules: [] }).catch((e) => {
		throw new Error(`settings: ${JSON.stringify(e.fields ?? e.message)}`);
	});
	const plat = (await createProduct(database.db, who.admin.scope, { name: 'Plat', activity: 'cafe', vatCategory: 'food', prices: { public: 1250 } })).id;
	await recordSale(database.db, who.staff.scope, { lines: [{ productId: plat, quantity: 2 }], payments: [{ method: 'cash' }] }, { now: new Date('2026-03-10T11:00:00Z') });
	z1 = await closeDay(database.db, who.staff.scope, { date: '2026-03-10' }, { now: new Date('2026-03-10T20:00:00Z') });
	const p2 = (await createProduct(database.db, who.other.scope, { name: 'Café', activity: 'cafe', vatCategory: 'soft_drink', prices: { public: 150 } })).id;
	await recordSale(database.db, who.other.scope, { lines: [{ productId: p2, quantity: 1 }], payments: [{ method: 'card' }] }, { now: new Date('2026-03-10T11:00:00Z') });
	otherZ = await closeDay(database.db, who.other.scope, { date: '2026-03-10' }, { now: new Date('2026-03-10T20:00:00Z') });
});
afterAll(async () => {
	await database?.close();
});

/** The text drawn in a pdfkit PDF (its content streams, inflated). */
function pdfText(pdf: Buffer): string {
	const s = pdf.toString('latin1');
	let out = '';
	for (const m of s.matchAll(/stream\r?\n/g)) {
		const start = m.index! + m[0].length;
		const end = s.indexOf('endstream', start);
		try {
			out += zlib.inflateSync(pdf.subarray(start, end)).toString('latin1');
		} catch {
			/* not a deflated stream (fonts) */
		}
	}
	// pdfkit writes text as hex strings <...> in TJ arrays
	// (WinAnsi: 0x80 is €, 0x97 an em dash)
	return [...out.matchAll(/<([0-9a-f]+)>/gi)]
		.map((x) => Buffer.from(x[1], 'hex').toString('latin1'))
		.join('')
		.replace(/\u0080/g, '€')
		.replace(/\u0097/g, '—');
}

describe('Z report', () => {
	it('staff (cafe.sell) and admins read it; a member does not; another place’s closure is not found', async () => {
		expect((await zReport(database.db, who.staff.scope, z1.id)).closure.id).toBe(z1.id);
		expect((await zReport(database.db, who.admin.scope, z1.id)).place).toMatchObject({ name: 'Café Z', siret: '73282932000074', vatNumber: 'FR44732829320' });
		expect(await zReport(database.db, who.member.scope, z1.id).catch((e) => e.code)).toBe('forbidden');
		expect(await zReport(database.db, who.admin.scope, otherZ.id).catch((e) => e.code)).toBe('not_found');
		expect(await zReport(database.db, who.admin.scope, 'x'.repeat(500)).catch((e) => e.code)).toBe('not_found');
	});

	it('is a PDF in the viewer’s language naming the place, the closure, its totals and hashes', async () => {
		const z = await zReport(database.db, who.staff.scope, z1.id);
		const fr = await zReportPdf(z, 'fr');
		expect(fr.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		const text = pdfText(fr);
		for (const s of ['Café Z', '3 rue du Four', '73282932000074', 'FR44732829320', 'Clôture journalière', '10 mars 2026', 'Totaux par taux de TVA', '10 %', '22,73', '2,27', '25,00', 'Espèces', 'Total perpétuel', z1.hash.slice(0, 20)])
			expect(text.replace(/\u00a0/g, ' ')).toContain(s);
		const en = pdfText(await zReportPdf(z, 'en'));
		for (const s of ['Z report — Daily closure no. 1', 'Daily closure', '10 March 2026', 'Totals per VAT rate', 'Cash', 'Perpetual grand total', '€25.00']) expect(en).toContain(s);
		expect(zReportFileName(z)).toBe('cafe-zr-z-day-1-2026-03-10.pdf');
	});
});

describe('closure archive access', () => {
	it('needs money.view and stays in its place', async () => {
		const a = await closureArchive(database.db, who.admin.scope, z1.id);
		expect(a.manifest.receipts.count).toBe(1);
		expect(a.manifest.place.siret).toBe('73282932000074');
		expect(await closureArchive(database.db, who.staff.scope, z1.id).catch((e) => e.code)).toBe('forbidden');
		expect(await closureArchive(database.db, who.admin.scope, otherZ.id).catch((e) => e.code)).toBe('not_found');
	});
});
