// Journey: a visitor without JavaScript, on a phone, browses the public pages of the La Tréso demo:
// machines and spaces, agenda, residents, partners.
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, phoneContext, startServer, type LieuServer } from './harness';

let server: LieuServer;
let browser: Browser;
beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
	// Load the demo through the setup page, as a person would (plain form post).
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

/** Opens a page without JavaScript and checks it; then checks the same page with axe-core (which needs JavaScript). */
async function visit(page: Page, path: string, h1: string) {
	const res = await page.goto(server.url + path);
	expect(res?.status(), path).toBe(200);
	expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe(h1);
	// phone first: nothing wider than the 390 px screen
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	const ctx = await phoneContext(browser);
	const withJs = await ctx.newPage();
	await withJs.goto(server.url + path);
	await expectAccessible(withJs);
	await ctx.close();
}

describe('public pages of the demo (phone, no JavaScript, visitor)', () => {
	it('lists machines and spaces by kind with the qualification badge', async () => {
		const ctx = await phoneContext(browser, { javaScriptEnabled: false });
		const page = await ctx.newPage();
		await page.goto(server.url + '/');
		await page.getByRole('link', { name: 'Espace machine' }).click();
		expect(new URL(page.url()).pathname).toBe('/machines');
		await visit(page, '/machines', 'Machines et espaces');
		const h2 = (await page.getByRole('heading', { level: 2 }).allTextContents()).map((s) => s.trim());
		expect(h2).toEqual(['Machines', 'Salles et ateliers', 'Établis', 'Espaces']);
		const main = (await page.textContent('main')) ?? '';
		expect(main).toContain('Découpeuse laser');
		expect(main).toContain('Fraiseuse numérique CNC');
		expect(main).toContain('Établi 4');
		expect(main).toContain('Café-cantine');
		expect(await page.locator('main .badge', { hasText: 'Habilitation requise' }).count()).toBe(2);
		await page.screenshot({ path: path.join(os.tmpdir(), 'lieu-machines.png'), fullPage: true });
		await ctx.close();
	});

	it('shows the upcoming agenda with Paris times, prices and "Gratuit"', async () => {
		const ctx = await phoneContext(browser, { javaScriptEnabled: false });
		const page = await ctx.newPage();
		await visit(page, '/agenda', 'Agenda');
		const items = page.locator('main ol > li');
		expect(await items.count()).toBeGreaterThanOrEqual(5);
		const laser = items.filter({ hasText: 'Découverte de la découpe laser' });
		expect(await laser.textContent()).toMatch(/samedi .*, 14:00 – 16:00/);
		expect(await laser.textContent()).toMatch(/15,00\s€/);
		expect(await items.filter({ hasText: 'Repair café' }).textContent()).toContain('Gratuit');
		expect(await items.filter({ hasText: 'Concert avec Beat and Beer' }).textContent()).toContain('Avec Beat and Beer');
		const main = (await page.textContent('main')) ?? '';
		expect(main).not.toContain('Portes ouvertes'); // past
		expect(main).not.toContain('Marché des créateurs'); // draft
		await page.screenshot({ path: path.join(os.tmpdir(), 'lieu-agenda.png'), fullPage: true });
		await ctx.close();
	});

	it('shows the residents directory and the partners directory, also under the place slug', async () => {
		const ctx = await phoneContext(browser, { javaScriptEnabled: false });
		const page = await ctx.newPage();
		await visit(page, '/residents', 'Les artisans résidents');
		const residents = (await page.textContent('main')) ?? '';
		expect(residents).toContain('Inès Moreau');
		expect(residents).toContain('Ébéniste');
		expect(residents).toContain('Céramiste');
		await visit(page, '/la-treso/partenaires', 'Nos partenaires');
		expect(await page.getByRole('heading', { level: 2 }).count()).toBe(8);
		const partners = (await page.textContent('main')) ?? '';
		for (const name of ['Ville de Malakoff', 'France Tiers-Lieux', 'Dynamo Malakoff', 'Ferme urbaine de Malakoff', 'Scarabée', 'Beat and Beer']) expect(partners).toContain(name);
		// the menu links to the four pages
		const menu = (await page.locator('header nav a').allTextContents()).map((s) => s.trim());
		expect(menu).toEqual(expect.arrayContaining(['Agenda', 'Machines et espaces', 'Résident·es', 'Partenaires']));
		await ctx.close();
	});

	it('answers 404 for an unknown place', async () => {
		const r = await fetch(server.url + '/inconnu/agenda');
		expect(r.status).toBe(404);
	});
});
