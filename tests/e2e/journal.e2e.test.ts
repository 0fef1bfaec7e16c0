// Journey: the demo admin sells at the counter (through the API, with the browser session), closes the day
// on the "Journal de caisse" page, verifies the journal, downloads the Z report (PDF) and the period's
// archive (.zip), reads the printable Z report; bad input is refused with a translated message, and the
// core forms work without JavaScript.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { unzipSync, strFromU8 } from 'fflate';
import { expectAccessible, launchBrowser, phoneContext, startServer, type LieuServer } from './harness';

let server: LieuServer;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
// Screenshots to look at (phone size): kept in a temporary folder whose path is printed.
const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'lieu-journal-shots-'));
console.log(`journal screenshots: ${shots}`);

beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
	ctx = await phoneContext(browser);
	page = await ctx.newPage();
	await page.goto(server.url + '/');
	await page.getByRole('button', { name: 'Commencer avec le lieu de démonstration' }).click();
	await page.waitForURL(server.url + '/');
}, 120_000);
afterAll(async () => {
	await ctx?.close();
	await browser?.close();
	await server?.stop();
});

async function sell(names: Array<[string, number]>, method: 'cash' | 'card') {
	const products = (await (await page.request.get(server.url + '/api/v1/places/la-treso/products')).json()) as Array<{ id: string; name: string }>;
	const lines = names.map(([name, quantity]) => ({ productId: products.find((p) => p.name === name)!.id, quantity, context: 'on_site' }));
	const r = await page.request.post(server.url + '/api/v1/places/la-treso/sales', { data: { lines, payments: [{ method }] } });
	expect(r.status()).toBe(201);
}

describe('till journal (phone, French)', () => {
	it('closes the day, verifies the journal, downloads the Z report and the archive', async () => {
		await sell([['Plat du jour', 2], ['Bière pression', 1]], 'cash');
		await sell([['Café', 2]], 'card');

		await page.goto(server.url + '/admin/journal');
		expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('Journal de caisse');
		// The demo's history is already closed up to yesterday (days and months).
		expect(await page.textContent('main')).toContain('Clôture mensuelle');
		await expectAccessible(page);

		await page.getByRole('button', { name: 'Clôturer la journée' }).click();
		await page.waitForLoadState('networkidle');
		const status = page.locator('.alert.success');
		const closed = /Clôture journalière n° (\d+) enregistrée : 2 ticket\(s\), 32,50/.exec((await status.textContent()) ?? '');
		expect(closed).not.toBeNull();
		const n = Number(closed![1]);
		const item = page.locator('li.closure').first();
		expect(await item.textContent()).toContain('32,50');

		await page.getByRole('button', { name: 'Vérifier le journal' }).click();
		await page.waitForLoadState('networkidle');
		expect(await page.locator('#verify-title ~ .alert').textContent()).toMatch(new RegExp(`Journal intact : \\d+ ticket\\(s\\) vérifié\\(s\\) ; clôtures intactes \\(${n} journalière\\(s\\), \\d+ mensuelle\\(s\\), 0 annuelle\\(s\\)\\)`));
		await expectAccessible(page);
		await page.screenshot({ path: path.join(shots, 'journal.png'), fullPage: true });

		// The Z report: the exact URL the till page links to.
		const pdfHref = await item.getByRole('link', { name: /Rapport Z \(PDF\)/ }).getAttribute('href');
		expect(pdfHref).toMatch(/^\/admin\/journal\/clotures\/[^/]+\/z\.pdf$/);
		const pdf = await page.request.get(server.url + pdfHref);
		expect(pdf.status()).toBe(200);
		expect(pdf.headers()['content-type']).toBe('application/pdf');
		const pdfBytes = await pdf.body();
		expect(pdfBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(pdfBytes.length).toBeGreaterThan(1000);

		const zipHref = await item.getByRole('link', { name: /Archive \(\.zip\)/ }).getAttribute('href');
		const zip = await page.request.get(server.url + zipHref);
		expect(zip.headers()['content-type']).toBe('application/zip');
		const files = unzipSync(new Uint8Array(await zip.body()));
		const manifest = JSON.parse(strFromU8(files['manifest.json']));
		for (const f of manifest.files) expect(crypto.createHash('sha256').update(files[f.name]).digest('hex')).toBe(f.sha256);
		expect(manifest).toMatchObject({ place: { slug: 'la-treso', name: 'La Tréso' }, closure: { kind: 'day', number: n }, receipts: { count: 2 } });
		expect(manifest.receipts.last.number - manifest.receipts.first.number).toBe(1);

		// The printable Z report
		await item.getByRole('link', { name: /^Rapport Z Clôture/ }).click();
		await page.waitForURL(/\/admin\/journal\/clotures\/[^/]+$/);
		expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe(`Rapport Z — Clôture journalière n° ${n}`);
		const main = await page.textContent('main');
		for (const s of ['La Tréso', 'Totaux par taux de TVA', '10 %', '20 %', 'Espèces', 'Carte bancaire', 'Total perpétuel', '32,50']) expect(main).toContain(s);
		await expectAccessible(page);
		await page.screenshot({ path: path.join(shots, 'z.png'), fullPage: true });
	});

	it('refuses bad input with a translated message and keeps it; works without JavaScript', async () => {
		await page.goto(server.url + '/admin/journal');
		await page.getByRole('textbox', { name: 'Mois', exact: true }).fill('2026-13');
		await page.getByRole('button', { name: 'Clôturer un mois' }).click();
		await page.waitForLoadState('networkidle');
		expect(await page.getByRole('textbox', { name: 'Mois', exact: true }).inputValue()).toBe('2026-13');
		expect(await page.locator('#f-month-error').textContent()).toBe('Valeur non valide.');
		await expectAccessible(page);

		const noJs = await phoneContext(browser, { javaScriptEnabled: false });
		await noJs.addCookies(await ctx.cookies());
		const p = await noJs.newPage();
		await p.goto(server.url + '/admin/journal');
		await p.getByRole('textbox', { name: 'Année', exact: true }).fill('2999');
		await p.getByRole('button', { name: 'Clôturer une année' }).click();
		await p.waitForLoadState('load');
		expect(await p.getByRole('textbox', { name: 'Année', exact: true }).inputValue()).toBe('2999');
		expect(await p.locator('#f-year-error').textContent()).toBe('On ne peut clôturer qu’une année terminée.');
		// the day is already closed and nothing was sold since
		await p.getByRole('button', { name: 'Clôturer la journée' }).click();
		await p.waitForLoadState('load');
		expect(await p.locator('#f-date-error').textContent()).toContain('déjà clôturée');
		await p.getByRole('button', { name: 'Vérifier le journal' }).click();
		await p.waitForLoadState('load');
		expect(await p.textContent('main')).toContain('Journal intact');
		// an unknown closure is a 404, never a 500
		expect((await p.request.get(server.url + '/admin/journal/clotures/nope/z.pdf')).status()).toBe(404);
		expect((await p.request.get(server.url + '/admin/journal/clotures/nope')).status()).toBe(404);
		await noJs.close();
		// signed out: sent to sign in
		const anon = await phoneContext(browser);
		const a = await anon.newPage();
		await a.goto(server.url + '/admin/journal');
		expect(new URL(a.url()).pathname).toBe('/login');
		await anon.close();
	});
});
