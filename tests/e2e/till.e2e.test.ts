// Journey: the chef at 11:45 on a phone. Staff opens the cash drawer, sells two « plat du jour » and one
// « bière pression » on site, pays cash (change due shown), sees the receipt with its totals per VAT rate,
// opens the 80 mm layout, downloads the PDF, e-mails it (it lands in the outbox); the same sale works without
// JavaScript, with translated errors that keep what was typed; training mode shows FACTICE; the drawer closes
// with its difference; the day closes at the end of service and the Z report downloads. axe on each page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, menuLink, phoneContext, signIn as signInAt, startServer, type LieuServer } from './harness';

/** Receipt number as printed (T-000042). */
const tNo = (n: number) => `T-${String(n).padStart(6, '0')}`;
let firstNumber = 0;
let server: LieuServer;
let browser: Browser;
let admin: BrowserContext;
const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'lieu-till-shots-'));

beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
	// The demo place, loaded from the setup page (signs in as the demo admin).
	admin = await phoneContext(browser);
	const page = await admin.newPage();
	await page.goto(server.url + '/');
	await page.getByRole('button', { name: 'Commencer avec le lieu de démonstration' }).click();
	await page.waitForURL(server.url + '/');
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

async function signIn(ctx: BrowserContext, email: string): Promise<Page> {
	const page = await ctx.newPage();
	await signInAt(page, server.url, email);
	return page;
}

/** Visible text of main with every kind of space folded to a plain space. */
async function mainText(page: Page): Promise<string> {
	return (await page.innerText('main')).replace(/[\s\u00a0\u202f]+/g, ' ');
}

/** The quantity input of a product (its label also shows the price). */
function qty(page: Page, product: string) {
	return page.getByRole('spinbutton', { name: new RegExp(`^${product}(\\s|$)`) });
}

/** axe on a page rendered without JavaScript: its HTML checked in a JavaScript-enabled page. */
async function expectAccessibleNoJs(page: Page) {
	const html = await page.content();
	const ctx = await phoneContext(browser);
	const p = await ctx.newPage();
	await p.setContent(html);
	await expectAccessible(p);
	await ctx.close();
}

/** The rows of the totals-per-rate table, cells joined by a space. */
async function rateRows(page: Page): Promise<string[]> {
	return page.locator('table.rates tbody tr').evaluateAll((rows) => rows.map((r) => [...(r as HTMLTableRowElement).cells].map((c) => (c.textContent ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim()).join(' ')));
}

async function shot(page: Page, name: string) {
	await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

describe('staff till on a phone', () => {
	let receiptUrl = '';

	it('staff opens the drawer, sells 2 plats du jour + 1 bière on site, pays cash and sees the receipt with totals per rate', async () => {
		const ctx = await phoneContext(browser);
		const page = await signIn(ctx, 'equipe@la-treso.demo');
		// The till is in the menu for staff.
		await (await menuLink(page, 'Caisse')).click();
		await page.waitForURL(server.url + '/caisse');
		await page.locator('header details.menu > summary').click(); // close the menu again
		expect(await mainText(page)).toContain('Ouvrez d’abord le tiroir-caisse de la caisse 1');
		await expectAccessible(page);
		await shot(page, '01-open-drawer');

		// A bad float is refused with a translated message and kept.
		await page.getByLabel('Fond de caisse compté (€)').fill('cent');
		await page.getByRole('button', { name: 'Ouvrir le tiroir' }).click();
		await page.waitForSelector('.alert.error');
		expect(await mainText(page)).toContain('Montant non valide');
		expect(await page.getByLabel('Fond de caisse compté (€)').inputValue()).toBe('cent');
		await page.getByLabel('Fond de caisse compté (€)').fill('100');
		await page.getByRole('button', { name: 'Ouvrir le tiroir' }).click();
		await page.waitForSelector('form[action="?/sell"]');
		expect(await mainText(page)).toContain('Tiroir ouvert depuis');
		await expectAccessible(page);
		await shot(page, '02-sell');

		// Products grouped by activity, the café first.
		const groups = await page.locator('.products h2').allTextContents();
		expect(groups[0]).toBe('Café-cantine');
		// JS steppers: two plats with "+", one bière typed.
		await page.getByRole('button', { name: 'Un de plus : Plat du jour' }).click();
		await page.getByRole('button', { name: 'Un de plus : Plat du jour' }).click();
		await qty(page, 'Bière pression').fill('1');
		expect(await qty(page, 'Plat du jour').inputValue()).toBe('2');
		expect(await mainText(page)).toContain('Total estimé : 29,50 €');
		await page.getByLabel('Sur place').check();
		await page.getByLabel('Espèces', { exact: true }).check();
		await page.getByLabel('Espèces reçues (€)').fill('50');
		await shot(page, '03-sell-filled');
		await page.getByRole('button', { name: 'Encaisser' }).click();
		await page.waitForURL((u) => u.pathname.startsWith('/caisse/tickets/'));
		receiptUrl = page.url().split('?')[0];
		const text = await mainText(page);
		expect(text).toContain('Monnaie à rendre : 20,50 €');
		// The demo has months of history: numbers go on from there.
		firstNumber = Number(/Ticket T-(\d{6})/.exec(text)?.[1]);
		expect(firstNumber).toBeGreaterThan(0);
		expect(text).toContain('La Tréso');
		expect(text).toContain('Plat du jour');
		expect(text).toContain('Bière pression');
		// totals per rate: 25,00 € at 10 % (food on site) and 4,50 € at 20 % (alcohol)
		const rates = await rateRows(page);
		expect(rates).toEqual(['10 % 22,73 € 2,27 € 25,00 €', '20 % 3,75 € 0,75 € 4,50 €']);
		expect(text).toContain('Total TTC 29,50 €');
		expect(text).toMatch(/Opérateur OP-[0-9A-F]{6}/);
		expect(text).toMatch(/Empreinte [0-9a-f]{16}/);
		expect(text).not.toContain('FACTICE');
		await expectAccessible(page);
		await shot(page, '04-receipt');

		// 80 mm layout
		await page.getByRole('link', { name: 'Format ticket 80 mm' }).click();
		await page.waitForURL((u) => u.pathname.endsWith('/80mm'));
		expect(await mainText(page)).toContain('Total TTC 29,50 €');
		expect(await page.locator('.ticket80').evaluate((e) => getComputedStyle(e).fontFamily)).toMatch(/mono/i);
		await expect(page.getByRole('button', { name: 'Imprimer' }).isVisible()).resolves.toBe(true);
		await expectAccessible(page);
		await shot(page, '05-80mm');

		// PDF
		const pdf = await page.request.get(receiptUrl + '/ticket.pdf');
		expect(pdf.status()).toBe(200);
		expect(pdf.headers()['content-type']).toBe('application/pdf');
		expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

		// E-mail: a bad address is refused and kept, a good one goes to the outbox.
		await page.goto(receiptUrl);
		await page.getByLabel('Adresse e-mail du client').fill('client@localhost');
		await page.getByRole('button', { name: 'Envoyer le ticket' }).click();
		await page.waitForSelector('.alert.error');
		expect(await page.getByLabel('Adresse e-mail du client').inputValue()).toBe('client@localhost');
		await page.getByLabel('Adresse e-mail du client').fill('client@example.org');
		await page.getByRole('button', { name: 'Envoyer le ticket' }).click();
		await page.waitForSelector('text=Ticket envoyé à client@example.org.');
		await expectAccessible(page);
		// Staff cannot cancel (cafe.refund is the admin's).
		expect(await page.getByRole('button', { name: 'Annuler la vente' }).count()).toBe(0);
		await ctx.close();

		const adminPage = await admin.newPage();
		await adminPage.goto(server.url + '/admin/outbox');
		const outbox = await mainText(adminPage);
		expect(outbox).toContain(`Votre ticket ${tNo(firstNumber)} – La Tréso`);
		expect(outbox).toContain('client@example.org');
	});

	it('the same sale without JavaScript; errors are translated and keep the quantities typed', async () => {
		const ctx = await phoneContext(browser, { javaScriptEnabled: false });
		const page = await signIn(ctx, 'chef@la-treso.demo');
		await page.goto(server.url + '/caisse');
		await page.waitForSelector('form[action="?/sell"]');
		// No +/- buttons without JavaScript, the quantities are plain inputs.
		expect(await page.getByRole('button', { name: 'Un de plus : Plat du jour' }).count()).toBe(0);
		await expectAccessibleNoJs(page);
		await shot(page, '06-nojs-sell');

		// nothing selected
		await page.getByRole('button', { name: 'Encaisser' }).click();
		await page.waitForSelector('.alert.error');
		expect(await mainText(page)).toContain('Choisissez au moins un produit');
		// split payment that does not add up: refused, the quantities stay
		await qty(page, 'Plat du jour').fill('2');
		await qty(page, 'Bière pression').fill('1');
		await page.getByLabel('Espèces + carte').check();
		await page.getByLabel('Part en espèces (€)').fill('10');
		await page.getByLabel('Part par carte (€)').fill('10');
		await page.getByRole('button', { name: 'Encaisser' }).click();
		await page.waitForSelector('.alert.error');
		expect(await mainText(page)).toContain('Les paiements ne correspondent pas au total de la vente.');
		expect(await qty(page, 'Plat du jour').inputValue()).toBe('2');
		expect(await qty(page, 'Bière pression').inputValue()).toBe('1');
		expect(await page.getByLabel('Espèces + carte').isChecked()).toBe(true);
		await expectAccessibleNoJs(page);
		await shot(page, '07-nojs-error');

		// now pay in cash with 30 € tendered
		await page.getByLabel('Espèces', { exact: true }).check();
		await page.getByLabel('Part en espèces (€)').fill('');
		await page.getByLabel('Part par carte (€)').fill('');
		await page.getByLabel('Espèces reçues (€)').fill('30');
		await page.getByRole('button', { name: 'Encaisser' }).click();
		await page.waitForURL((u) => u.pathname.startsWith('/caisse/tickets/'));
		const text = await mainText(page);
		expect(text).toContain(`Ticket ${tNo(firstNumber + 1)}`);
		expect(text).toContain('Monnaie à rendre : 0,50 €');
		expect(text).toContain('Total TTC 29,50 €');
		const rates = await rateRows(page);
		expect(rates).toEqual(['10 % 22,73 € 2,27 € 25,00 €', '20 % 3,75 € 0,75 € 4,50 €']);
		await expectAccessibleNoJs(page);
		await page.getByRole('link', { name: 'Format ticket 80 mm' }).click();
		await page.waitForURL((u) => u.pathname.endsWith('/80mm'));
		expect(await page.getByRole('button', { name: 'Imprimer' }).count()).toBe(0);
		await expectAccessibleNoJs(page);

		// training mode: a FACTICE receipt in its own chain
		await page.goto(server.url + '/caisse?formation=1');
		expect(await mainText(page)).toContain('Mode formation activé');
		await qty(page, 'Café').fill('3');
		await page.getByLabel('Carte bancaire').check();
		await page.getByRole('button', { name: 'Encaisser' }).click();
		await page.waitForURL((u) => u.pathname.startsWith('/caisse/tickets/'));
		const training = await mainText(page);
		expect(training).toContain('FACTICE');
		// The demo has one training receipt already: the training chain goes on (own numbers, F-).
		expect(training).toMatch(/Ticket F-\d{6}/);
		await expectAccessibleNoJs(page);
		await shot(page, '08-training-receipt');
		await ctx.close();
	});

	it('the admin cancels a sale (correction receipt); the list of the day shows both', async () => {
		const page = await admin.newPage();
		await page.goto(receiptUrl);
		await page.getByRole('button', { name: 'Annuler la vente' }).click();
		await page.waitForURL((u) => u.searchParams.get('annule') === '1');
		const text = await mainText(page);
		expect(text).toContain(`Ticket d’annulation ${tNo(firstNumber + 2)}`);
		expect(text).toContain(`Annule le ticket ${tNo(firstNumber)}`);
		expect(text).toContain('-29,50');
		await expectAccessible(page);
		await page.goto(server.url + '/caisse/tickets');
		const list = await mainText(page);
		expect(list).toContain('3 ticket(s), total 29,50 €');
		expect(list).toContain('Annulation');
		await expectAccessible(page);
		await shot(page, '09-tickets');
	});

	it('staff closes the drawer (difference recorded) and closes the day: a day to come refused, today closed, Z report downloaded', async () => {
		const ctx = await phoneContext(browser);
		const page = await signIn(ctx, 'equipe@la-treso.demo');
		// A second tab keeps the sell screen open while the drawer closes.
		const stale = await ctx.newPage();
		await stale.goto(server.url + '/caisse');
		await stale.waitForSelector('form[action="?/sell"]');
		await page.goto(server.url + '/caisse/session');
		// float 100 + 29,50 + 29,50 cash − 29,50 cancelled = 129,50 expected
		expect(await mainText(page)).toContain('Espèces attendues à cet instant : 129,50 €');
		await expectAccessible(page);
		await page.getByLabel('Espèces comptées dans le tiroir (€)').fill('129');
		await page.getByLabel('Note (facultatif)').fill('pièce de 50 centimes perdue');
		await page.getByRole('button', { name: 'Fermer le tiroir' }).click();
		await page.waitForURL((u) => u.searchParams.has('fermee'));
		const text = await mainText(page);
		expect(text).toContain('Tiroir fermé. Attendu 129,50 €, compté 129,00 €, écart -0,50 €.');
		expect(text).toContain('pièce de 50 centimes perdue');
		await expectAccessible(page);
		await shot(page, '10-session-closed');

		// A sale from the tab still showing the sell screen is refused (the sale checks the drawer in its
		// transaction) with the translated message, and the screen asks for the drawer.
		await qty(stale, 'Plat du jour').fill('1');
		await stale.getByRole('button', { name: 'Encaisser' }).click();
		await stale.waitForSelector('.alert.error');
		expect(await mainText(stale)).toContain('Aucun tiroir ouvert sur cette caisse.');
		expect(await mainText(stale)).toContain('Ouvrez d’abord le tiroir-caisse');
		await stale.close();

		// The sell screen asks for the drawer again.
		await page.goto(server.url + '/caisse');
		expect(await mainText(page)).toContain('Ouvrez d’abord le tiroir-caisse');

		await page.goto(server.url + '/caisse/cloture');
		await expectAccessible(page);
		const today = await page.getByLabel('Jour à clôturer').inputValue();
		const tomorrow = new Date(Date.parse(`${today}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
		await page.getByLabel('Jour à clôturer').fill(tomorrow);
		await page.getByRole('button', { name: 'Clôturer' }).click();
		await page.waitForSelector('.alert.error');
		expect(await mainText(page)).toContain('On ne peut pas clôturer une journée à venir.');
		expect(await page.getByLabel('Jour à clôturer').inputValue()).toBe(tomorrow);
		// End of service: today closes (Z report).
		await page.getByLabel('Jour à clôturer').fill(today);
		await page.getByRole('button', { name: 'Clôturer' }).click();
		await page.waitForURL((u) => u.searchParams.has('z'));
		expect(await mainText(page)).toMatch(/Journée clôturée : clôture n° \d+\./);
		const z = new URL(page.url()).searchParams.get('z');
		expect(await page.getByRole('link', { name: 'Télécharger le rapport Z' }).getAttribute('href')).toBe(`/admin/journal/clotures/${z}/z.pdf`);
		expect(await page.getByRole('link', { name: 'Voir le rapport de clôture' }).getAttribute('href')).toBe(`/admin/journal/clotures/${z}`);
		const zpdf = await page.request.get(server.url + `/admin/journal/clotures/${z}/z.pdf`);
		expect(zpdf.status()).toBe(200);
		expect(zpdf.headers()['content-type']).toContain('application/pdf');
		expect((await zpdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
		await expectAccessible(page);
		await shot(page, '11-closure');
		await ctx.close();
		console.log(`till screenshots in ${shots}`);
	});

	it('a member cannot reach the till (403) and a visitor is sent to sign in', async () => {
		const ctx = await phoneContext(browser);
		const page = await ctx.newPage();
		const r = await page.goto(server.url + '/caisse');
		expect(new URL(page.url()).pathname).toBe('/login');
		expect(r?.status()).toBe(200);
		const member = await signIn(ctx, 'membre@la-treso.demo');
		const denied = await member.goto(server.url + '/caisse/tickets');
		expect(denied?.status()).toBe(403);
		const pdf = await member.request.get(receiptUrl + '/ticket.pdf');
		expect(pdf.status()).toBe(403);
		await ctx.close();
	});
});
