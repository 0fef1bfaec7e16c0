import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectAccessible, launchBrowser, phoneContext, startServer, type LieuServer } from './harness';

let server: LieuServer;
let browser: Browser;
beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

describe('first-run setup (phone, French)', () => {
	it('sends a new instance to the setup page, keeps typed values on error, then creates the place', async () => {
		const ctx = await phoneContext(browser);
		const page = await ctx.newPage();
		await page.goto(server.url + '/');
		expect(new URL(page.url()).pathname).toBe('/setup');
		await expect(page.getByRole('heading', { level: 1 })).toBeTruthy();
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Bienvenue');
		await expectAccessible(page);

		await page.getByLabel('Nom du lieu').fill('La Fabrique');
		await page.getByLabel('Identifiant (adresse web)').fill('La Fabrique !');
		await page.getByLabel('Votre nom').fill('Alice Martin');
		await page.getByLabel('Adresse e-mail').fill('alice@example.org');
		await page.getByLabel('Mot de passe').fill('une phrase assez longue');
		await page.getByRole('button', { name: 'Créer le lieu et mon compte' }).click();
		await page.waitForLoadState('networkidle');
		expect(await page.getByRole('alert').first().textContent()).toContain('Certaines informations ne sont pas valides');
		expect(await page.getByLabel('Nom du lieu').inputValue()).toBe('La Fabrique');
		await expectAccessible(page);

		await page.getByLabel('Identifiant (adresse web)').fill('la-fabrique');
		await page.getByLabel('Mot de passe').fill('une phrase assez longue');
		await page.getByRole('button', { name: 'Créer le lieu et mon compte' }).click();
		await page.waitForURL(server.url + '/');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('La Fabrique');
		expect(await page.textContent('main')).toContain('administrateur');
		await expectAccessible(page);
		await ctx.close();
	});

	it('refuses a second setup once a place exists', async () => {
		const r = await fetch(server.url + '/setup', { redirect: 'manual' });
		expect(r.status).toBe(303);
	});

	it('answers /healthz and shuts down gracefully on SIGTERM, releasing the data folder', async () => {
		const r = await fetch(server.url + '/healthz');
		expect(r.status).toBe(200);
		expect(await r.json()).toEqual({ status: 'ok', database: 'pglite' });
		expect(fs.existsSync(path.join(server.dataDir, 'lieu.lock'))).toBe(true);
		const exited = new Promise<number | null>((res) => server.proc.once('exit', (code) => res(code)));
		server.proc.kill('SIGTERM');
		expect(await exited).toBe(0);
		expect(fs.existsSync(path.join(server.dataDir, 'lieu.lock'))).toBe(false);
	});
});
