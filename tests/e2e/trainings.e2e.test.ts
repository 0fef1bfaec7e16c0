// Journey: a member registers to an upcoming (paid) CNC session on a phone without JavaScript, which opens an order; the trainer (a resident,
// without trainings.grant) opens the session from « Mes habilitations » and marks them present in one post; the
// member then sees the CNC qualification on /habilitations. Staff manage trainings on /admin/formations; every
// page passes axe-core.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
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

/** A phone context signed in as this demo person (the harness waits for the sign-in, however loaded the machine). */
const signIn = (email: string, javaScriptEnabled = false) => signedInPhone(browser, server.url, email, { javaScriptEnabled });

const CNC = 'Initiation à la fraiseuse numérique (CNC)';
const cardOf = (page: Page, title: string) => page.locator('li.card', { has: page.getByRole('heading', { name: title }) });

describe('trainings and qualifications (phone, no JavaScript)', () => {
	it('a visitor sees the upcoming sessions with seats left, and is asked to sign in', async () => {
		const ctx = await phoneContext(browser, { javaScriptEnabled: false });
		const page = await ctx.newPage();
		await page.goto(server.url + '/formations');
		expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('Formations aux machines');
		const card = cardOf(page, CNC);
		expect(await card.textContent()).toContain('3 place(s) restante(s) sur 4');
		expect(await card.textContent()).toContain('Habilite à : Fraiseuse numérique CNC');
		expect(await card.getByRole('link', { name: 'Connectez-vous pour vous inscrire' }).count()).toBe(1);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		await ctx.close();
	});

	it('a member registers, the trainer marks them present, the member sees the qualification', async () => {
		// The member: not qualified for the CNC yet.
		const lucas = await signIn('lucas@la-treso.demo');
		await lucas.page.goto(server.url + '/habilitations');
		expect(await lucas.page.textContent('main')).not.toContain('Fraiseuse numérique CNC');
		await lucas.page.goto(server.url + '/formations');
		expect(await cardOf(lucas.page, CNC).textContent()).toMatch(/40,00\s€/);
		await cardOf(lucas.page, CNC).getByRole('button', { name: 'M’inscrire' }).click();
		// A paid training: the registration opens an order of 40 € to pay (online, wallet or on site).
		await lucas.page.waitForURL(/\/commande\/[^/]+$/);
		expect(await lucas.page.textContent('main')).toContain('Initiation à la fraiseuse numérique (CNC)');
		expect(await lucas.page.textContent('main')).toContain('40,00');
		await lucas.page.goto(server.url + '/formations');
		const card = cardOf(lucas.page, CNC);
		expect(await card.textContent()).toContain('2 place(s) restante(s) sur 4');
		expect(await card.textContent()).toContain('Paiement en attente');
		expect(await card.getByRole('link', { name: 'Payer mon inscription' }).getAttribute('href')).toMatch(/\/commande\/[^/]+$/);
		expect(await card.textContent()).toContain('Vous êtes inscrit·e.');
		expect(await card.getByRole('button', { name: 'Annuler mon inscription' }).count()).toBe(1);
		expect(await lucas.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

		// The trainer (resident, no trainings.grant): from their page to the attendance sheet.
		const trainer = await signIn('ebeniste@la-treso.demo');
		expect((await trainer.page.goto(server.url + '/admin/formations'))?.status()).toBe(403);
		await trainer.page.goto(server.url + '/habilitations');
		await trainer.page.getByRole('link', { name: /Feuille de présence/ }).first().click();
		await trainer.page.waitForURL(/\/admin\/formations\/[^/]+$/);
		expect((await trainer.page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe(CNC);
		const sheet = trainer.page.locator('form[action="?/attendance"]');
		const row = sheet.locator('fieldset', { hasText: 'Lucas Petit' });
		expect(await row.locator('legend').textContent()).toContain('À payer');
		await row.getByLabel('Présent·e').check();
		await sheet.getByRole('button', { name: 'Enregistrer les présences' }).click();
		await trainer.page.waitForLoadState();
		expect(await trainer.page.getByRole('status').textContent()).toContain('Présences enregistrées : 1 présent·e(s), 0 absent·e(s), 1 habilitation(s) délivrée(s).');
		expect(await trainer.page.locator('fieldset', { hasText: 'Lucas Petit' }).getByLabel('Présent·e').isChecked()).toBe(true);
		expect(await trainer.page.locator('fieldset', { hasText: 'Emma Durand' }).getByLabel('Inscrit·e').isChecked()).toBe(true);
		const sessionUrl = trainer.page.url();
		await trainer.ctx.close();

		// Another member cannot open the sheet.
		const other = await signIn('hamid@la-treso.demo');
		expect((await other.page.goto(sessionUrl))?.status()).toBe(404);
		await other.ctx.close();

		await lucas.page.goto(server.url + '/habilitations');
		const q = lucas.page.locator('li.card', { has: lucas.page.getByRole('heading', { name: 'Fraiseuse numérique CNC' }) });
		expect(await q.textContent()).toContain('Valide');
		expect(await q.textContent()).toContain('Jusqu’au');
		await lucas.ctx.close();

		const a11y = await signIn('lucas@la-treso.demo', true);
		for (const path of ['/formations', '/habilitations']) {
			await a11y.page.goto(server.url + path);
			await expectAccessible(a11y.page);
		}
		await a11y.ctx.close();
	});

	it('staff schedule a session (a past date is refused, keeping what was typed), revoke with a reason; pages pass axe', async () => {
		const { ctx, page } = await signIn('equipe@la-treso.demo');
		await page.goto(server.url + '/admin/formations');
		const form = page.locator('form[action="?/session"]');
		await form.getByLabel('Formation').selectOption({ label: CNC });
		await form.getByLabel('Date').fill('2020-01-15');
		await form.getByLabel('Nombre de places').fill('5');
		await form.getByLabel('Note aux participant·es').fill('Venez en avance');
		await form.getByRole('button', { name: 'Programmer' }).click();
		await page.waitForLoadState();
		expect(await page.locator('#new-session .field .error').allTextContents()).toEqual(['Cette date est déjà passée.']);
		expect(await form.getByLabel('Note aux participant·es').inputValue()).toBe('Venez en avance');
		expect(await form.getByLabel('Formation').locator('option:checked').textContent()).toBe(CNC);
		const next = new Date(Date.now() + 40 * 86400_000).toISOString().slice(0, 10);
		await form.getByLabel('Date').fill(next);
		await form.getByRole('button', { name: 'Programmer' }).click();
		await page.waitForURL(/\/admin\/formations\/[^/?]+\?created=1$/);
		expect(await page.getByRole('status').first().textContent()).toContain('Session programmée.');

		await page.goto(server.url + '/admin/formations');
		const item = page.locator('#qualifications li', { hasText: 'Lucas Petit' });
		await item.locator('summary').click();
		await item.getByLabel('Motif du retrait').fill('ab');
		await item.getByRole('button', { name: /Retirer l’habilitation de Lucas Petit/ }).click();
		await page.waitForLoadState();
		// Too short: refused by the server, the form stays open with what was typed.
		const again = page.locator('#qualifications li', { hasText: 'Lucas Petit' });
		expect(await again.locator('.field .error').textContent()).toBe('Trop court.');
		expect(await again.getByLabel('Motif du retrait').inputValue()).toBe('ab');
		await again.getByLabel('Motif du retrait').fill('Usage de la fraiseuse sans bridage');
		await again.getByRole('button', { name: /Retirer l’habilitation de Lucas Petit/ }).click();
		await page.waitForLoadState();
		expect(await page.getByRole('status').first().textContent()).toContain('Habilitation retirée.');
		expect(await page.locator('#qualifications li', { hasText: 'Lucas Petit' }).count()).toBe(0);
		await ctx.close();

		const a11y = await signIn('equipe@la-treso.demo', true);
		await a11y.page.goto(server.url + '/admin/formations');
		await expectAccessible(a11y.page);
		await a11y.page.locator('#sessions-title + ul a').first().click();
		await a11y.page.waitForURL(/\/admin\/formations\/[^/]+$/);
		await expectAccessible(a11y.page);
		await a11y.ctx.close();

		const lucas = await signIn('lucas@la-treso.demo');
		await lucas.page.goto(server.url + '/habilitations');
		const q = lucas.page.locator('li.card', { has: lucas.page.getByRole('heading', { name: 'Fraiseuse numérique CNC' }) });
		expect(await q.textContent()).toContain('Retirée');
		expect(await q.textContent()).toContain('Motif : Usage de la fraiseuse sans bridage');
		await lucas.ctx.close();
	});
});
