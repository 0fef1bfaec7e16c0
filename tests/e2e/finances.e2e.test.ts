// Journey: the demo admin opens the money dashboard on a phone without JavaScript, sees the revenue chart and
// the break-even line, downloads the FEC (18 columns, balanced entries) and the CSVs, adds a cost (a bad
// amount first: translated error, typed values kept), records a subsidy; a member is refused; axe clean.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, loadDemo, signedInPhone, startServer, type LieuServer } from './harness';

let server: LieuServer;
let browser: Browser;

beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
	await loadDemo(server);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

const signedIn = (email: string, javaScriptEnabled: boolean) => signedInPhone(browser, server.url, email, { javaScriptEnabled });

/** Checks the page with axe-core in a JavaScript context of the same person. */
async function accessible(email: string, url: string) {
	const { ctx, page } = await signedIn(email, true);
	await page.goto(url);
	// The <details> open, so axe also checks the tables inside.
	await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
	await expectAccessible(page).catch((e) => {
		console.error(JSON.stringify(e.actual ?? e.message));
		throw e;
	});
	await ctx.close();
}

/** A period of whole months of the demo's history: from the 1st, 6 months ago, to the end of last month. */
const now = new Date();
const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);
const FROM = day(now.getUTCFullYear(), now.getUTCMonth() - 6, 1);
const TO = day(now.getUTCFullYear(), now.getUTCMonth(), 0);
const PERIOD = `from=${FROM}&to=${TO}`;

const cents = (s: string) => {
	const [e, c] = s.split(',');
	return Number(e) * 100 + Math.sign(Number(e) || 1) * Number(c);
};

describe('money dashboard of the demo (phone, no JavaScript, admin)', () => {
	it('shows the revenue chart with the break-even line and the demo subsidies, and fits a phone', async () => {
		const { ctx, page } = await signedIn('admin@la-treso.demo', false);
		const res = await page.goto(server.url + '/admin/finances');
		expect(res?.status()).toBe(200);
		expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('Finances');
		const chart = page.getByRole('img', { name: 'Chiffre d’affaires HT par activité et par mois' });
		expect(await chart.count()).toBe(1);
		expect(await chart.locator('rect.bar').count()).toBeGreaterThan(6);
		expect(await chart.locator('rect.bar[data-activity="cafe"]').count()).toBeGreaterThan(5);
		expect(await chart.locator('path.break-even').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L/);
		expect(await page.locator('p.balance').textContent()).toMatch(/^[A-ZÉ][a-zéû]+ \d{4} : [\d\s,]+€ (au-dessus|en dessous) de l’équilibre\.$/);
		const main = (await page.textContent('main')) ?? '';
		expect(main).toContain('Région Île-de-France');
		expect(main).toMatch(/Total accordé : 63\s000,00\s€/);
		expect(main).toContain('Ce lieu n’a pas de SIRET');
		// The data table behind the chart (in a <details>): twelve months.
		expect(await page.locator('section[aria-labelledby="chart-h"] details table tbody tr').count()).toBe(12);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		await page.screenshot({ path: path.join(os.tmpdir(), 'lieu-finances.png'), fullPage: true });
		await page.locator('svg.chart').screenshot({ path: path.join(os.tmpdir(), 'lieu-finances-chart.png') });
		await page.screenshot({ path: path.join(os.tmpdir(), 'lieu-finances-top.png') });
		for (const id of ['exports', 'costs', 'subsidies']) await page.locator(`#${id}`).screenshot({ path: path.join(os.tmpdir(), `lieu-finances-${id}.png`) });
		await ctx.close();
		await accessible('admin@la-treso.demo', server.url + '/admin/finances');
	});

	it('downloads a FEC with the 18 columns and balanced entries, and the CSVs for French spreadsheets', async () => {
		const { ctx, page } = await signedIn('admin@la-treso.demo', false);
		await page.goto(server.url + `/admin/finances?${PERIOD}`);
		const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger le FEC' }).click()]);
		expect(download.suggestedFilename()).toBe(`SANSSIRENFEC${TO.replaceAll('-', '')}.txt`);
		const text = fs.readFileSync((await download.path())!, 'utf8');
		const rows = text.split('\r\n').slice(0, -1).map((r) => r.split('\t'));
		expect(rows[0]).toEqual(['JournalCode', 'JournalLib', 'EcritureNum', 'EcritureDate', 'CompteNum', 'CompteLib', 'CompAuxNum', 'CompAuxLib', 'PieceRef', 'PieceDate', 'EcritureLib', 'Debit', 'Credit', 'EcritureLet', 'DateLet', 'ValidDate', 'Montantdevise', 'Idevise']);
		expect(rows.length).toBeGreaterThan(100);
		const balance = new Map<string, number>();
		for (const r of rows.slice(1)) {
			expect(r).toHaveLength(18);
			expect(r[3] >= FROM.replaceAll('-', '') && r[3] <= TO.replaceAll('-', '')).toBe(true);
			expect(r[11]).toMatch(/^\d+,\d{2}$/);
			balance.set(r[2], (balance.get(r[2]) ?? 0) + cents(r[11]) - cents(r[12]));
		}
		expect([...balance.values()].every((v) => v === 0)).toBe(true);
		// Entries are numbered 1..n without gaps.
		expect([...balance.keys()].map(Number)).toEqual(Array.from({ length: balance.size }, (_, i) => i + 1));

		// The same FEC in ISO 8859-15: same content, one byte per French letter.
		const latin9 = await ctx.request.get(server.url + `/admin/finances/export/fec?${PERIOD}&encoding=iso-8859-15`);
		expect(latin9.headers()['content-type']).toBe('text/plain; charset=iso-8859-15');
		const latin9Body = await latin9.body();
		expect(new TextDecoder('iso-8859-15').decode(latin9Body)).toBe(text.replaceAll('’', "'"));
		expect(latin9Body.length).toBeLessThan(Buffer.byteLength(text, 'utf8'));

		const vat = await ctx.request.get(server.url + `/admin/finances/export/vat?${PERIOD}`);
		expect(vat.headers()['content-type']).toContain('text/csv');
		const vatText = await vat.text();
		expect(vatText.charCodeAt(0)).toBe(0xfeff);
		expect(vatText).toContain('Taux;Base HT;TVA;TTC');
		expect(vatText).toMatch(/\r\n10 %;\d+,\d{2};\d+,\d{2};\d+,\d{2}\r\n/);
		const act = await (await ctx.request.get(server.url + `/admin/finances/export/activities?${PERIOD}`)).text();
		expect(act).toContain('Mois;Activité;Base HT;TVA;TTC;Tickets');
		expect(act).toContain(`${TO.slice(0, 7)};Café-cantine;`);
		// A bad period goes back to the dashboard, with the error and what was typed.
		await page.goto(server.url + `/admin/finances/export/fec?from=${TO}&to=${FROM}`);
		expect(new URL(page.url()).pathname).toBe('/admin/finances');
		expect(await page.locator('#f-to-error').textContent()).toBe('La fin de la période précède son début.');
		expect(await page.locator('#f-from').inputValue()).toBe(TO);
		await ctx.close();
	});

	it('adds a cost (a bad amount first: translated error, typed values kept) and records a subsidy', async () => {
		const { ctx, page } = await signedIn('admin@la-treso.demo', false);
		await page.goto(server.url + '/admin/finances');
		const costForm = page.locator('form[action^="?/addCost"]');
		await costForm.getByLabel('Mois').fill(TO.slice(0, 7));
		await costForm.getByLabel('Catégorie').selectOption('supplies');
		await costForm.getByLabel('Libellé (facultatif)').fill('Contreplaqué pour la découpe');
		await costForm.getByLabel('Montant (€)').fill('beaucoup');
		await costForm.getByRole('button', { name: 'Ajouter la charge' }).click();
		expect(await page.locator('#f-amount-error').textContent()).toBe('Montant non valide : un nombre positif en euros, deux décimales au plus.');
		expect(await costForm.getByLabel('Libellé (facultatif)').inputValue()).toBe('Contreplaqué pour la découpe');
		expect(await costForm.getByLabel('Catégorie').inputValue()).toBe('supplies');
		expect(await page.getByRole('alert').first().textContent()).toContain('Vérifiez les champs signalés');
		await expectNoWiderThanPhone(page);
		await costForm.getByLabel('Montant (€)').fill('1 234,50');
		// why: the page is already at /admin/finances (after the refused post): wait for the redirect's #costs.
		await Promise.all([page.waitForURL((u) => u.pathname === '/admin/finances' && u.hash === '#costs'), costForm.getByRole('button', { name: 'Ajouter la charge' }).click()]);
		const costs = (await page.locator('#costs').textContent()) ?? '';
		expect(costs).toContain('Contreplaqué pour la découpe');
		expect(costs).toMatch(/1\s234,50\s€/);

		const subsidyForm = page.locator('form[action^="?/addSubsidy"]');
		await subsidyForm.getByLabel('Financeur').fill('Ville de Malakoff');
		await subsidyForm.getByLabel('Montant (€)').fill('5000');
		await subsidyForm.getByLabel('Date d’attribution').fill(TO);
		await subsidyForm.getByLabel('Objet (facultatif)').fill('Bancs et tables de la terrasse');
		await Promise.all([page.waitForURL((u) => u.pathname === '/admin/finances' && u.hash === '#subsidies'), subsidyForm.getByRole('button', { name: 'Enregistrer la subvention' }).click()]);
		const subsidies = (await page.locator('#subsidies').textContent()) ?? '';
		expect(subsidies).toContain('Ville de Malakoff');
		expect(subsidies).toMatch(/Total accordé : 68\s000,00\s€/);
		await ctx.close();
		await accessible('admin@la-treso.demo', server.url + '/admin/finances');
	});

	it('is refused to a member (403), on the page and the downloads', async () => {
		const { ctx, page } = await signedIn('membre@la-treso.demo', false);
		expect((await page.goto(server.url + '/admin/finances'))?.status()).toBe(403);
		expect((await ctx.request.get(server.url + `/admin/finances/export/fec?${PERIOD}`)).status()).toBe(403);
		await ctx.close();
	});
});

async function expectNoWiderThanPhone(page: Page) {
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}
