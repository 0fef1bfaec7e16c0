// Journey: a fresh instance, someone picks "the demo place" on the setup page and looks around La Tréso.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, menuEntries, menuLink, phoneContext, signIn, startServer, type LieuServer } from './harness';

let server: LieuServer;
let browser: Browser;
beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

/** The titles of the header menu's sections, and those open. */
const sectionTitles = async (page: Page) => (await page.locator('header nav details.nav-section > summary').allTextContents()).map((s) => s.trim());
const openSections = async (page: Page) => (await page.locator('header nav details.nav-section[open] > summary').allTextContents()).map((s) => s.trim());

// The public pages of the place, reached from the header menu: menu entry → page title.
const PUBLIC_PAGES: Array<[string, string, string]> = [
	['Agenda', '/agenda', 'Agenda'],
	['Machines et espaces', '/machines', 'Machines et espaces'],
	['Résident·es', '/residents', 'Les artisans résidents'],
	['Partenaires', '/partenaires', 'Nos partenaires']
];

describe('demo place (phone, French)', () => {
	it('setup → "Commencer avec le lieu de démonstration" → signed in as the demo admin on La Tréso', async () => {
		const ctx = await phoneContext(browser);
		const page = await ctx.newPage();
		await page.goto(server.url + '/');
		expect(new URL(page.url()).pathname).toBe('/setup');
		await expectAccessible(page);

		await page.getByRole('button', { name: 'Commencer avec le lieu de démonstration' }).click();
		await page.waitForURL(server.url + '/');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('La Tréso');
		const main = await page.textContent('main');
		expect(main).toContain('lieu de démonstration');
		expect(main).toContain('Vous êtes administrateur·rice de ce lieu.');
		expect(main).toContain('Malakoff');
		const entries = await menuEntries(page);
		expect(entries).toContain('Mon profil');
		expect(entries).toContain('Se déconnecter');
		expect(entries).not.toContain('Se connecter');
		// The menu is grouped: everyday sections, then the administration by domain; the section of the page shown is open.
		expect(await sectionTitles(page)).toEqual(['Le lieu', 'Atelier machines', 'Café', 'Argent', 'Machines', 'Personnes et réglages']);
		expect(await openSections(page)).toEqual(['Le lieu']);
		expect(await page.locator('header nav a[aria-current="page"]').allTextContents()).toEqual(['Accueil']);
		await expectAccessible(page);

		for (const [entry, pathname, title] of PUBLIC_PAGES) {
			expect(await menuEntries(page)).toContain(entry);
			await (await menuLink(page, entry)).click();
			await page.waitForURL(server.url + pathname);
			expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe(title);
			expect(await page.locator('header nav a[aria-current="page"]').allTextContents()).toEqual([entry]);
			expect(await openSections(page)).toEqual([pathname === '/machines' ? 'Atelier machines' : 'Le lieu']);
			await expectAccessible(page);
		}

		// The setup page is gone once the demo is loaded.
		await page.goto(server.url + '/setup');
		expect(new URL(page.url()).pathname).toBe('/');
		await ctx.close();
	});

	it('a visitor sees the demo place with a sign-up invitation, and a demo member can sign in', async () => {
		const ctx = await phoneContext(browser);
		const page = await ctx.newPage();
		await page.goto(server.url + '/');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('La Tréso');
		expect(await page.textContent('main')).toContain('Créez un compte pour réserver');
		await expectAccessible(page);

		await signIn(page, server.url, 'membre@la-treso.demo');
		expect(new URL(page.url()).pathname).toBe('/');
		expect(await page.textContent('main')).toContain('Vous êtes membre de ce lieu.');
		// A member does not get the administration menu.
		const entries = await menuEntries(page);
		expect(entries).toContain('Mon profil');
		expect(entries).not.toContain('Journal');
		expect(await sectionTitles(page)).toEqual(['Le lieu', 'Atelier machines']);
		expect(entries).toContain('Porte-monnaie');
		await expectAccessible(page);
		await ctx.close();
	});
});
