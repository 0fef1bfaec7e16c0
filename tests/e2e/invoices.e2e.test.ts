// Journey: the La Tréso admin, on a phone and without JavaScript, completes the legal identity, sets the
// invoicing terms, issues an invoice to a business (bad input first: the form keeps everything and says
// what is wrong, in French), sees the mandatory mentions, downloads the PDF and the Factur-X PDF/A-3,
// issues a credit note and marks the invoice paid. Every page passes axe-core.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, loadDemo, phoneContext, signIn, startServer, type LieuServer } from './harness';

let server: LieuServer;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let invoiceUrl = '';

const ADMIN = 'admin@la-treso.demo';

beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
	await loadDemo(server);
	ctx = await phoneContext(browser, { javaScriptEnabled: false });
	page = await ctx.newPage();
	await signIn(page, server.url, ADMIN);
	expect(new URL(page.url()).pathname).toBe('/');
});
afterAll(async () => {
	await ctx?.close();
	await browser?.close();
	await server?.stop();
});

/** The same page with JavaScript on (axe needs it), with the admin's cookies. */
async function checkAccessible(url: string) {
	const js = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'fr-FR', storageState: await ctx.storageState() });
	const p = await js.newPage();
	const res = await p.goto(url);
	expect(res?.status(), url).toBe(200);
	await expectAccessible(p);
	await js.close();
}

async function fitsPhone() {
	expect(await page.evaluate(() => document.documentElement.scrollWidth), page.url()).toBeLessThanOrEqual(390);
}

const main = async () => ((await page.textContent('main')) ?? '').replace(/\s+/g, ' ');

/** Downloads what a link points to (the admin's session) and returns the bytes. */
async function download(linkName: string): Promise<Buffer> {
	const href = await page.getByRole('link', { name: linkName, exact: true }).getAttribute('href');
	expect(href).toBeTruthy();
	const res = await ctx.request.get(new URL(href!, page.url()).toString());
	expect(res.status()).toBe(200);
	expect(res.headers()['content-type']).toBe('application/pdf');
	expect(res.headers()['content-disposition']).toMatch(/^attachment; filename="(F|AV)-\d{4}-\d{6}(-facturx)?\.pdf"$/);
	return Buffer.from(await res.body());
}

function inflatedStreams(pdf: Buffer): string[] {
	const bin = pdf.toString('latin1');
	const out: string[] = [];
	for (const m of bin.matchAll(/stream\r?\n/g)) {
		const start = m.index! + m[0].length;
		const raw = pdf.subarray(start, bin.indexOf('endstream', start));
		try {
			out.push(zlib.inflateSync(raw).toString('utf8'));
		} catch {
			out.push(raw.toString('utf8'));
		}
	}
	return out;
}

describe('invoices (phone, no JavaScript, French, La Tréso demo admin)', () => {
	it('the invoice form says the legal identity is missing; the admin completes it and the invoicing terms', async () => {
		await page.goto(server.url + '/admin/factures');
		expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('Factures et avoirs');
		expect(await main()).toContain('Aucune facture pour l’instant.');
		await checkAccessible(server.url + '/admin/factures');
		await page.getByRole('link', { name: 'Nouvelle facture' }).click();
		expect(await main()).toContain('renseignez l’adresse et le SIRET du lieu');

		await page.goto(server.url + '/admin/settings');
		await page.getByLabel('SIRET (facultatif)').fill('987 654 321 00015');
		await page.getByLabel('Numéro de TVA intracommunautaire (facultatif)').fill('FR45987654321');
		await page.getByRole('button', { name: 'Enregistrer' }).click();
		await page.waitForLoadState('load');
		expect(await page.getByRole('status').first().textContent()).toContain('Modifications enregistrées');

		await page.goto(server.url + '/admin/factures/reglages');
		expect(await main()).toContain('98765432100015');
		await page.getByLabel('Immatriculation (RCS et ville, ou n° RNA) (facultatif)').fill('RCS Nanterre 987 654 321');
		await page.getByLabel('IBAN (pour les virements) (facultatif)').fill('FR76 3000 6000 0112 3456 7890 189');
		await page.getByLabel('Taux annuel des pénalités de retard (%)').fill('10,5');
		await page.getByLabel('Capital social (€) (facultatif)').fill('12 500');
		await page.getByRole('button', { name: 'Enregistrer' }).click();
		await page.waitForLoadState('load');
		expect(await page.getByRole('status').first().textContent()).toContain('Modifications enregistrées');
		expect(await page.getByLabel('Taux annuel des pénalités de retard (%)').inputValue()).toBe('10,50');
		await fitsPhone();
		await checkAccessible(server.url + '/admin/factures/reglages');
	});

	it('bad input keeps the form and says what is wrong; "add a line" re-renders with one more row', async () => {
		await page.goto(server.url + '/admin/factures/nouvelle');
		await checkAccessible(server.url + '/admin/factures/nouvelle');
		await page.getByLabel('Adresse', { exact: true }).fill('12 avenue Pierre Larousse');
		await page.getByLabel('Code postal').fill('92240');
		await page.getByLabel('Ville').fill('Malakoff');
		const line = (n: number) => page.getByRole('group', { name: `Ligne ${n}` });
		await line(1).getByLabel('Désignation').fill('Location de l’atelier — mars 2026');
		await line(1).getByLabel('Quantité').fill('abc');
		await line(1).getByLabel('Prix unitaire HT (€)').fill('450');
		await line(2).getByLabel('Désignation').fill('Découpeuse laser (heures)');
		await line(2).getByLabel('Quantité').fill('2,5');
		await line(2).getByLabel('Prix unitaire HT (€)').fill('-5');
		await page.getByRole('button', { name: 'Émettre la facture' }).click();
		await page.waitForLoadState('load');
		const alert = (await page.getByRole('alert').first().textContent()) ?? '';
		expect(alert).toContain('Certaines informations ne sont pas valides.');
		expect(alert).toContain('Ce champ est obligatoire.');
		expect(alert).toContain('Saisissez une quantité positive');
		expect(alert).toContain('Saisissez un montant positif en euros');
		expect(await line(1).getByLabel('Quantité').getAttribute('aria-invalid')).toBe('true');
		expect(await line(2).getByLabel('Prix unitaire HT (€)').getAttribute('aria-invalid')).toBe('true');
		expect(await page.getByLabel('Nom ou raison sociale').getAttribute('aria-invalid')).toBe('true');
		// everything typed is still there
		expect(await line(1).getByLabel('Désignation').inputValue()).toBe('Location de l’atelier — mars 2026');
		expect(await line(1).getByLabel('Quantité').inputValue()).toBe('abc');
		expect(await line(2).getByLabel('Prix unitaire HT (€)').inputValue()).toBe('-5');
		expect(await page.getByLabel('Ville').inputValue()).toBe('Malakoff');
		await page.screenshot({ path: path.join(os.tmpdir(), 'lieu-invoice-errors.png'), fullPage: false });

		expect(await page.getByRole('group', { name: /^Ligne \d+$/ }).count()).toBe(3);
		await page.getByRole('button', { name: 'Ajouter une ligne' }).click();
		await page.waitForLoadState('load');
		expect(await page.getByRole('group', { name: /^Ligne \d+$/ }).count()).toBe(4);
		expect(await line(2).getByLabel('Désignation').inputValue()).toBe('Découpeuse laser (heures)');
		const [{ n }] = [{ n: ((await main()).match(/F-\d{4}-\d{6}/g) ?? []).length }];
		expect(n).toBe(0);
	});

	it('issues the invoice to a business and shows every mandatory mention', async () => {
		const line = (n: number) => page.getByRole('group', { name: `Ligne ${n}` });
		await page.getByLabel('Nom ou raison sociale').fill('Atelier Bois & Fils SARL');
		await page.getByLabel('SIREN ou SIRET (facultatif)').fill('123 456 789 00012');
		await page.getByLabel('N° de TVA intracommunautaire (facultatif)').fill('FR12123456789');
		await line(1).getByLabel('Quantité').fill('1');
		await line(2).getByLabel('Prix unitaire HT (€)').fill('25');
		await line(4).getByLabel('Désignation').fill('Formation CNC (1 jour)');
		await line(4).getByLabel('Prix unitaire HT (€)').fill('300');
		await line(4).getByLabel('TVA').selectOption({ label: 'Exonérée (formation professionnelle)' });
		await page.getByRole('button', { name: 'Émettre la facture' }).click();
		await page.waitForLoadState('load');
		invoiceUrl = page.url();
		expect(new URL(invoiceUrl).pathname).toMatch(/^\/admin\/factures\/[^/]+$/);
		const h1 = (await page.getByRole('heading', { level: 1 }).textContent())?.trim() ?? '';
		expect(h1).toMatch(/^Facture F-\d{4}-000001$/);
		expect(await page.getByRole('status').first().textContent()).toMatch(/Facture F-\d{4}-000001 émise\./);
		const text = await main();
		// lines, totals per rate and totals: 450 + 2.5 × 25 = 512.50 HT at 20 %, 300 exempt
		expect(text).toMatch(/Total HT\s*812,50\s€/);
		expect(text).toMatch(/Total TVA\s*102,50\s€/);
		expect(text).toMatch(/Total TTC\s*915,00\s€/);
		expect(text).toContain('Exonérée (formation professionnelle)');
		// the mandatory mentions
		for (const m of [
			'SIRET 98765432100015',
			'TVA intracommunautaire FR45987654321',
			'Atelier Bois & Fils SARL',
			'SIREN/SIRET : 12345678900012',
			'TVA : FR12123456789',
			'Exonération de TVA, art. 261-4-4° a du CGI.',
			'Pas d’escompte pour paiement anticipé.',
			'pénalités au taux annuel de 10,5 %',
			'Indemnité forfaitaire pour frais de recouvrement due au créancier en cas de retard de paiement : 40 €',
			'Date d’échéance du paiement :',
			'RCS Nanterre 987 654 321',
			'à capital variable, au capital de 12 500,00 €',
			'Siège : 6 rue Gambetta, 92240 Malakoff'
		])
			expect(text.replace(/[\u202f\u00a0]/g, ' ')).toContain(m.replace(/[\u202f\u00a0]/g, ' '));
		await fitsPhone();
		await page.screenshot({ path: path.join(os.tmpdir(), 'lieu-invoice.png'), fullPage: true });
		await checkAccessible(invoiceUrl);
	});

	it('downloads the PDF (French) and the Factur-X PDF/A-3 with its XML', async () => {
		const pdf = await download('PDF (français)');
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		expect(pdf.toString('latin1')).not.toContain('/EmbeddedFiles');
		const fx = await download('Factur-X (PDF/A-3 avec XML)');
		expect(fx.subarray(0, 5).toString()).toBe('%PDF-');
		const bin = fx.toString('latin1');
		expect(bin).toContain('/EmbeddedFiles');
		expect(bin).toContain('/AFRelationship /Data');
		const streams = inflatedStreams(fx);
		const xmp = streams.find((s) => s.includes('x:xmpmeta')) ?? '';
		expect(xmp).toContain('<pdfaid:part>3</pdfaid:part>');
		expect(xmp).toContain('<fx:ConformanceLevel>BASIC</fx:ConformanceLevel>');
		const xml = streams.find((s) => s.includes('rsm:CrossIndustryInvoice')) ?? '';
		// the browser's own XML parser agrees it is well-formed
		const parsed = await page.evaluate((src) => {
			const d = new DOMParser().parseFromString(src, 'application/xml');
			const ns = 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100';
			return { error: d.getElementsByTagName('parsererror').length, grand: d.getElementsByTagNameNS(ns, 'GrandTotalAmount')[0]?.textContent, type: d.getElementsByTagNameNS(ns, 'TypeCode')[0]?.textContent };
		}, xml);
		expect(parsed).toEqual({ error: 0, grand: '915.00', type: '380' });
	});

	it('issues a credit note for part of the invoice; it cannot exceed what remains', async () => {
		await page.goto(invoiceUrl);
		await page.getByRole('link', { name: 'Émettre un avoir' }).click();
		await page.waitForLoadState('load');
		expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toMatch(/^Avoir sur la facture F-\d{4}-000001$/);
		await checkAccessible(page.url());
		const q = (label: string) => page.getByLabel(`Quantité à annuler : ${label}`);
		await q('Location de l’atelier — mars 2026').fill('0');
		await q('Découpeuse laser (heures)').fill('3');
		await q('Formation CNC (1 jour)').fill('0');
		await page.getByRole('button', { name: 'Émettre l’avoir' }).click();
		await page.waitForLoadState('load');
		expect(await page.getByRole('alert').first().textContent()).toContain('C’est plus que ce qui reste sur cette ligne.');
		expect(await q('Découpeuse laser (heures)').inputValue()).toBe('3');
		await q('Découpeuse laser (heures)').fill('1');
		await page.getByRole('button', { name: 'Émettre l’avoir' }).click();
		await page.waitForLoadState('load');
		expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toMatch(/^Avoir AV-\d{4}-000001$/);
		const text = await main();
		expect(text).toMatch(/Avoir sur la facture F-\d{4}-000001 du/);
		expect(text).toMatch(/Total de l’avoir TTC\s*30,00\s€/);
		await checkAccessible(page.url());
		const pdf = await download('PDF (anglais)');
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
	});

	it('marks the invoice paid: the list shows it with its credit note', async () => {
		await page.goto(invoiceUrl);
		expect((await main()).replace(/[\u202f\u00a0]/g, ' ')).toContain('Reste dû : 885,00 €');
		await page.getByLabel('Moyen de paiement').selectOption({ label: 'Virement' });
		await page.getByRole('button', { name: 'Marquer comme payée' }).click();
		await page.waitForLoadState('load');
		expect(await page.getByRole('status').first().textContent()).toContain('Paiement enregistré.');
		expect((await main()).replace(/[\u202f\u00a0]/g, ' ')).toMatch(/Payée le .* \(Virement\) : 885,00 €/);
		await page.goto(server.url + '/admin/factures');
		const text = await main();
		expect(text).toMatch(/F-\d{4}-000001/);
		expect(text).toMatch(/AV-\d{4}-000001/);
		expect(text).toContain('Payée le');
		expect(text).toMatch(/Avoir sur F-\d{4}-000001/);
		await fitsPhone();
		await page.screenshot({ path: path.join(os.tmpdir(), 'lieu-invoices-list.png'), fullPage: true });
		await checkAccessible(server.url + '/admin/factures');
		fs.writeFileSync(path.join(os.tmpdir(), 'lieu-invoice-url.txt'), invoiceUrl);
	});

	it('the JSON API issues and reads invoices; anonymous callers and members without money.view are refused', async () => {
		const origin = { origin: server.url, 'content-type': 'application/json' };
		const slug = 'la-treso';
		const bad = await ctx.request.post(`${server.url}/api/v1/places/${slug}/invoices`, { headers: origin, data: { customer: { kind: 'business', name: '' }, lines: [{ label: 'x', quantity: 1, unitPriceCents: -1 }] } });
		expect(bad.status()).toBe(400);
		expect((await bad.json()).error.fields).toMatchObject({ 'customer.name': 'Ce champ est obligatoire.', 'lines.0.unitPriceCents': 'Saisissez un montant positif en euros (ex. 12,50).' });
		const ok = await ctx.request.post(`${server.url}/api/v1/places/${slug}/invoices`, {
			headers: origin,
			data: { customer: { kind: 'individual', name: 'Léa Martin' }, lines: [{ label: 'Atelier couture', quantity: 2, unitPriceCents: 1500, vat: '2000' }] }
		});
		expect(ok.status()).toBe(201);
		const body = await ok.json();
		expect(body).toMatchObject({ number: expect.stringMatching(/^F-\d{4}-000002$/), sequence: 2, totalHtCents: 3000, totalVatCents: 600, totalCents: 3600 });
		const got = await ctx.request.get(`${server.url}/api/v1/places/${slug}/invoices/${body.id}`, { headers: { origin: server.url } });
		expect(got.status()).toBe(200);
		expect(await got.json()).toMatchObject({ kind: 'invoice', customer: { name: 'Léa Martin' }, remainingCents: 3600, payment: null });
		const pdf = await ctx.request.get(`${server.url}/api/v1/places/${slug}/invoices/${body.id}/pdf?lang=en`, { headers: { origin: server.url } });
		expect(pdf.status()).toBe(200);
		expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
		const missing = await ctx.request.get(`${server.url}/api/v1/places/${slug}/invoices/nope/pdf`, { headers: { origin: server.url } });
		expect(missing.status()).toBe(404);
		const anon = await fetch(`${server.url}/api/v1/places/${slug}/invoices/${body.id}/pdf`);
		expect(anon.status).toBe(401);
		// a member of the place (no money.view) can neither read, download nor issue, nor open the pages
		const member = await phoneContext(browser, { javaScriptEnabled: false });
		const mp = await member.newPage();
		await signIn(mp, server.url, 'membre@la-treso.demo');
		const headers = { origin: server.url };
		expect((await member.request.get(`${server.url}/api/v1/places/${slug}/invoices/${body.id}`, { headers })).status()).toBe(403);
		expect((await member.request.get(`${server.url}/api/v1/places/${slug}/invoices/${body.id}/pdf`, { headers })).status()).toBe(403);
		expect((await member.request.post(`${server.url}/api/v1/places/${slug}/invoices`, { headers: origin, data: { customer: { kind: 'individual', name: 'X' }, lines: [{ label: 'x', quantity: 1, unitPriceCents: 1 }] } })).status()).toBe(403);
		expect((await mp.goto(server.url + '/admin/factures'))?.status()).toBe(403);
		expect((await mp.goto(`${server.url}/admin/factures/${body.id}/pdf?lang=fr`).catch(() => null))?.status() ?? 403).toBe(403);
		await member.close();
	});
});
