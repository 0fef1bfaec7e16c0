// Journey: on a slow phone the page's script arrives seconds after the page. Whatever the person typed, ticked
// or chose in the meantime must still be there when the script takes over, and the form must post it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Route } from 'playwright-core';
import { DEMO_PASSWORD, launchBrowser, loadDemo, phoneContext, startServer, type LieuServer } from './harness';

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

/** Opens `path` with the app's script held back; returns a function that lets it through and waits for hydration. */
async function openWithScriptHeld(page: Page, path: string): Promise<() => Promise<void>> {
	const held: Route[] = [];
	let release = false;
	await page.route('**/_app/immutable/**/*.js', (route) => (release ? route.continue() : void held.push(route)));
	await page.goto(server.url + path, { waitUntil: 'domcontentloaded' });
	return async () => {
		// Typed before the script ran: the page is not hydrated yet.
		expect(await page.locator('html[data-hydrated]').count()).toBe(0);
		release = true;
		await Promise.all(held.map((r) => r.continue()));
		await page.locator('html[data-hydrated]').waitFor({ state: 'attached', timeout: 30_000 });
	};
}

describe('typing before the script has loaded (phone, French)', () => {
	it('sign-up: the name, e-mail, password and ticked boxes typed early are kept', async () => {
		const ctx = await phoneContext(browser);
		const page = await ctx.newPage();
		const hydrate = await openWithScriptHeld(page, '/signup');
		await page.getByLabel('Nom').fill('Inès Moreau');
		await page.getByLabel('Adresse e-mail').fill('ines@example.org');
		await page.getByLabel('Mot de passe').fill('un mot de passe long');
		await page.locator('#f-terms').check();
		await page.locator('#f-news').check();
		await hydrate();
		expect(await page.getByLabel('Nom').inputValue()).toBe('Inès Moreau');
		expect(await page.getByLabel('Adresse e-mail').inputValue()).toBe('ines@example.org');
		expect(await page.getByLabel('Mot de passe').inputValue()).toBe('un mot de passe long');
		expect(await page.locator('#f-terms').isChecked()).toBe(true);
		expect(await page.locator('#f-news').isChecked()).toBe(true);
		await ctx.close();
	});

	it('sign-in: the e-mail and password typed early are kept and sign the person in', async () => {
		const ctx = await phoneContext(browser);
		const page = await ctx.newPage();
		const hydrate = await openWithScriptHeld(page, '/login');
		const form = page.locator('form[action="?/password"]');
		await form.getByLabel('Adresse e-mail').fill('membre@la-treso.demo');
		await form.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
		await hydrate();
		expect(await form.getByLabel('Adresse e-mail').inputValue()).toBe('membre@la-treso.demo');
		expect(await form.getByLabel('Mot de passe').inputValue()).toBe(DEMO_PASSWORD);
		await form.getByRole('button', { name: 'Me connecter' }).click();
		await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 60_000 });
		expect(await page.locator('header').textContent()).toContain('Mon profil');
		await ctx.close();
	});
});
