// Journey: the chef (staff, cafe.menu) manages the menu on a phone without JavaScript: a typo in a price is
// refused with a French message and the form keeps what was typed; a set menu is created and composed;
// a staff sale of that menu splits its VAT across the components' rates; a member cannot open the page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectAccessible, launchBrowser, phoneContext, signedInPhone, startServer, type LieuServer } from './harness';

let server: LieuServer;
let browser: Browser;
beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
	const ctx = await phoneContext(browser, { javaScriptEnabled: false });
	const page = await ctx.newPage();
	await page.goto(server.url + '/setup');
	await page.getByRole('button', { name: 'Commencer avec le lieu de démonstration' }).click();
	await page.waitForURL(server.url + '/');
	await ctx.close();
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

const signIn = (email: string, javaScriptEnabled = false) => signedInPhone(browser, server.url, email, { javaScriptEnabled });

describe('the menu and prices (chef, phone, no JavaScript)', () => {
	it('refuses a price that is not an amount, keeping what was typed', async () => {
		const { ctx, page } = await signIn('chef@la-treso.demo');
		await page.goto(server.url + '/admin/catalogue');
		expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('Carte et tarifs');
		const form = page.locator('#new form');
		await form.getByLabel('Nom').fill('Formule déjeuner');
		await form.getByLabel('Catégorie de TVA').selectOption('menu');
		await form.getByLabel('Public').fill('quinze euros');
		await form.getByLabel('Adhérent·e').fill('13,50');
		await form.getByRole('button', { name: 'Ajouter' }).click();
		await page.waitForLoadState();
		expect(await page.locator('#new .field .error').allTextContents()).toEqual(['Valeur non valide.']);
		expect(await form.getByLabel('Nom').inputValue()).toBe('Formule déjeuner');
		expect(await form.getByLabel('Public').inputValue()).toBe('quinze euros');
		expect(await form.getByLabel('Adhérent·e').inputValue()).toBe('13,50');
		expect(await form.getByLabel('Catégorie de TVA').inputValue()).toBe('menu');
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

		await form.getByLabel('Public').fill('15');
		await form.getByRole('button', { name: 'Ajouter' }).click();
		await page.waitForURL(/\/admin\/catalogue\/[^/?]+\?created=1$/);
		expect(await page.getByRole('status').first().textContent()).toContain('Produit ajouté.');
		expect(await page.getByLabel('Public').inputValue()).toBe('15,00');

		// Compose it: plat du jour + bière pression.
		const comp = page.locator('form[action="?/components"]');
		const selects = comp.locator('select');
		await selects.nth(0).selectOption({ label: 'Plat du jour' });
		await selects.nth(1).selectOption({ label: 'Bière pression' });
		await comp.getByRole('button', { name: 'Enregistrer la composition' }).click();
		await page.waitForLoadState();
		expect(await page.locator('form[action="?/components"] select').nth(1).locator('option:checked').textContent()).toBe('Bière pression');
		await page.goto(server.url + '/admin/catalogue');
		expect(await page.textContent('main')).toContain('Composants : Plat du jour, Bière pression');
		await ctx.close();

		const a11y = await signIn('chef@la-treso.demo', true);
		await a11y.page.goto(server.url + '/admin/catalogue');
		await expectAccessible(a11y.page);
		await a11y.page.getByRole('link', { name: 'Formule déjeuner' }).click();
		await a11y.page.waitForURL(/\/admin\/catalogue\/[^/]+$/);
		await expectAccessible(a11y.page);
		await a11y.ctx.close();
	});

	it('sells the set menu with its VAT split between 10 % and 20 %', async () => {
		const { ctx, page } = await signIn('chef@la-treso.demo', true);
		const products = (await (await page.request.get(server.url + '/api/v1/places/la-treso/products')).json()) as Array<{ id: string; name: string }>;
		const menu = products.find((p) => p.name === 'Formule déjeuner');
		expect(menu).toBeTruthy();
		const since = new Date(Date.now() - 60_000).toISOString();
		const res = await page.request.post(server.url + '/api/v1/places/la-treso/sales', { data: { lines: [{ productId: menu!.id, quantity: 1, context: 'on_site' }], payments: [{ method: 'cash' }] } });
		expect(res.status()).toBe(201);
		expect(((await res.json()) as { receipt: { totalCents: number } }).receipt.totalCents).toBe(1500);
		const { receipts } = (await (await page.request.get(server.url + `/api/v1/places/la-treso/receipts?from=${encodeURIComponent(since)}`)).json()) as { receipts: Array<{ totals: Array<{ rateBp: number; ttcCents: number }> }> };
		const last = receipts.at(-1)!;
		expect(last.totals.map((t) => [t.rateBp, t.ttcCents])).toEqual([
			[1000, 1103],
			[2000, 397]
		]);
		await ctx.close();
	});

	it('is not open to members', async () => {
		const { ctx, page } = await signIn('membre@la-treso.demo');
		const res = await page.goto(server.url + '/admin/catalogue');
		expect(res?.status()).toBe(403);
		await ctx.close();
	});
});
