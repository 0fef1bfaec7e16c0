// Journeys of authentication on a phone, in French, with a real SMTP server catching the mails:
// sign-up (+ e-mail verification), sign-in without JavaScript, sign-out, magic link, forgotten password,
// the sign-in rate limit, and the switch to English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, menuEntries, phoneContext, startServer, startSmtpCapture, type CapturedMail, type LieuServer } from './harness';

let server: LieuServer;
let browser: Browser;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;

const PERSON = { name: 'Élodie Durand', email: 'elodie.durand@example.org', password: 'trois pommes vertes au marché' };
const NEW_PASSWORD = 'le vélo bleu du jardin partagé';

/** Posts a page's form action the way a browser without JavaScript does (same-origin, so the CSRF check passes). */
async function postForm(path: string, fields: Record<string, string>): Promise<Response> {
	return fetch(server.url + path, {
		method: 'POST',
		headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(fields),
		redirect: 'manual'
	});
}

/** Waits for a mail to `to` with this subject that arrived after `since` mails had been caught. */
async function mailAfter(since: number, to: string, subject: RegExp, timeoutMs = 15_000): Promise<CapturedMail> {
	const t0 = Date.now();
	for (;;) {
		const m = smtp.mails.slice(since).find((x) => x.to.includes(to) && subject.test(x.subject));
		if (m) return m;
		if (Date.now() - t0 > timeoutMs) throw new Error(`no "${subject}" mail to ${to} (got: ${smtp.mails.map((x) => `${x.to}: ${x.subject}`).join('; ')})`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

/** The first link to this server in a mail's text. */
function linkIn(mail: CapturedMail): string {
	const m = new RegExp(`${server.url.replace(/[.]/g, '\\.')}/\\S+`).exec(mail.text);
	if (!m) throw new Error(`no link in mail: ${mail.text}`);
	return m[0];
}

/** The signed-in user as better-auth sees it (through the context's cookies), or null. */
async function sessionUser(ctx: BrowserContext): Promise<{ email: string; emailVerified: boolean } | null> {
	const r = await ctx.request.get(server.url + '/api/auth/get-session');
	const body = await r.json().catch(() => null);
	return body?.user ?? null;
}

const passwordForm = (page: Page) => page.locator('form[action="?/password"]');
const magicForm = (page: Page) => page.locator('form[action="?/magic"]');

async function signInWithPassword(page: Page, email: string, password: string) {
	await passwordForm(page).getByLabel('Adresse e-mail').fill(email);
	await passwordForm(page).getByLabel('Mot de passe').fill(password);
	await passwordForm(page).getByRole('button', { name: 'Me connecter' }).click();
	await page.waitForLoadState('load');
}

beforeAll(async () => {
	smtp = await startSmtpCapture();
	[server, browser] = await Promise.all([
		startServer({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_SECURE: 'false', MAIL_FROM: 'La Fabrique <bonjour@fabrique.test>' }),
		launchBrowser()
	]);
	const r = await postForm('/setup?/create', {
		name: 'La Fabrique',
		slug: 'la-fabrique',
		timezone: 'Europe/Paris',
		legalForm: 'association',
		adminName: 'Alice Martin',
		adminEmail: 'alice@fabrique.test',
		adminPassword: 'une phrase assez longue'
	});
	expect(r.status, 'setup form post').toBe(303);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await smtp?.close();
});

describe('authentication (phone, French)', () => {
	it('signs up: a weak password is refused with the typed values kept, a good one signs in, the e-mail link verifies the address', async () => {
		const ctx = await phoneContext(browser);
		const page = await ctx.newPage();
		await page.goto(server.url + '/signup');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Créer un compte');
		await expectAccessible(page);

		await page.getByLabel('Nom').fill(PERSON.name);
		await page.getByLabel('Adresse e-mail').fill(PERSON.email);
		await page.getByLabel('Mot de passe').fill('motdepasse');
		await page.getByLabel('J’accepte les conditions').check();
		await page.getByRole('button', { name: 'Créer mon compte' }).click();
		await page.waitForLoadState('load');
		expect(await page.getByRole('alert').first().textContent()).toContain('Ce mot de passe est trop faible');
		expect(await page.getByLabel('Nom').inputValue()).toBe(PERSON.name);
		expect(await page.getByLabel('Adresse e-mail').inputValue()).toBe(PERSON.email);
		expect(await page.getByLabel('Mot de passe').inputValue()).toBe('');
		expect(await sessionUser(ctx)).toBeNull();
		await expectAccessible(page);

		const since = smtp.mails.length;
		await page.getByLabel('Mot de passe').fill(PERSON.password);
		await page.getByRole('button', { name: 'Créer mon compte' }).click();
		await page.waitForURL(server.url + '/');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('La Fabrique');
		expect(await menuEntries(page)).toContain('Mon profil');
		const before = await sessionUser(ctx);
		expect(before).toMatchObject({ email: PERSON.email, emailVerified: false });
		await expectAccessible(page);

		const mail = await mailAfter(since, PERSON.email, /Confirmez votre adresse e-mail/);
		expect(mail.text).toContain(`Bonjour ${PERSON.name},`);
		const link = linkIn(mail);
		expect(link).toContain('/api/auth/verify-email?token=');
		await page.goto(link);
		expect(new URL(page.url()).pathname).toBe('/');
		expect(await sessionUser(ctx)).toMatchObject({ email: PERSON.email, emailVerified: true });

		// Sign-out from the header menu.
		await menuEntries(page);
		await page.getByRole('button', { name: 'Se déconnecter' }).click();
		await page.waitForURL(server.url + '/');
		expect(await sessionUser(ctx)).toBeNull();
		const entries = await menuEntries(page);
		expect(entries).toContain('Se connecter');
		expect(entries).not.toContain('Mon profil');
		await expectAccessible(page);
		await ctx.close();
	});

	it('signs in with JavaScript disabled: wrong password → translated error and e-mail kept; right one → signed in', async () => {
		const ctx = await phoneContext(browser, { javaScriptEnabled: false });
		const page = await ctx.newPage();
		await page.goto(server.url + '/login');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Se connecter');
		await signInWithPassword(page, PERSON.email, 'pas le bon mot de passe');
		expect(new URL(page.url()).pathname).toBe('/login');
		expect(await page.getByRole('alert').first().textContent()).toContain('Adresse e-mail ou mot de passe incorrect.');
		expect(await passwordForm(page).getByLabel('Adresse e-mail').inputValue()).toBe(PERSON.email);
		expect(await passwordForm(page).getByLabel('Mot de passe').inputValue()).toBe('');

		await signInWithPassword(page, PERSON.email, PERSON.password);
		expect(new URL(page.url()).pathname).toBe('/');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('La Fabrique');
		const entries = await menuEntries(page);
		expect(entries).toContain('Mon profil');
		expect(entries).toContain('Se déconnecter');

		// Sign-out works without JavaScript too (a plain form in the menu).
		await page.getByRole('button', { name: 'Se déconnecter' }).click();
		await page.waitForLoadState('load');
		expect(await menuEntries(page)).toContain('Se connecter');
		await ctx.close();

		// why: axe runs inside the page, which a JavaScript-off context forbids: the same pages are checked
		// here with JavaScript on (the error state of the login form is checked in the rate-limit journey).
		const jsCtx = await phoneContext(browser);
		const jsPage = await jsCtx.newPage();
		for (const p of ['/login', '/']) {
			await jsPage.goto(server.url + p);
			await expectAccessible(jsPage);
		}
		await jsCtx.close();
	});

	it('signs in with a magic link received by e-mail', async () => {
		const ctx = await phoneContext(browser);
		const page = await ctx.newPage();
		await page.goto(server.url + '/login');
		await expectAccessible(page);
		const since = smtp.mails.length;
		await magicForm(page).getByLabel('Adresse e-mail').fill(PERSON.email);
		await magicForm(page).getByRole('button', { name: 'Recevoir un lien' }).click();
		await page.waitForURL(server.url + '/login?sent=1');
		expect(await page.getByRole('status').first().textContent()).toContain('un lien de connexion vient de partir');
		await expectAccessible(page);

		const mail = await mailAfter(since, PERSON.email, /Votre lien de connexion/);
		const link = linkIn(mail);
		expect(link).toContain('/api/auth/magic-link/verify?token=');
		expect(await sessionUser(ctx)).toBeNull();
		await page.goto(link);
		expect(new URL(page.url()).pathname).toBe('/');
		expect(await sessionUser(ctx)).toMatchObject({ email: PERSON.email });
		expect(await menuEntries(page)).toContain('Mon profil');

		// The link works once.
		const again = await phoneContext(browser);
		const p2 = await again.newPage();
		await p2.goto(link);
		expect(await sessionUser(again)).toBeNull();
		await again.close();
		await ctx.close();
	});

	it('resets a forgotten password through the e-mailed link', async () => {
		const ctx = await phoneContext(browser);
		const page = await ctx.newPage();
		await page.goto(server.url + '/login');
		await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
		await page.waitForURL(server.url + '/forgot-password');
		await expectAccessible(page);
		const since = smtp.mails.length;
		await page.getByLabel('Adresse e-mail').fill(PERSON.email);
		await page.getByRole('button', { name: 'Envoyer le lien' }).click();
		await page.waitForURL(server.url + '/forgot-password?sent=1');
		expect(await page.getByRole('status').first().textContent()).toContain('Si un compte existe avec cette adresse');

		const mail = await mailAfter(since, PERSON.email, /Réinitialiser votre mot de passe/);
		await page.goto(linkIn(mail));
		expect(new URL(page.url()).pathname).toBe('/reset-password');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Nouveau mot de passe');
		await expectAccessible(page);

		// Two different passwords: refused, nothing changed.
		await page.getByLabel('Nouveau mot de passe').fill(NEW_PASSWORD);
		await page.getByLabel('Confirmez le mot de passe').fill(NEW_PASSWORD + '!');
		await page.getByRole('button', { name: 'Changer mon mot de passe' }).click();
		await page.waitForLoadState('load');
		expect(await page.textContent('main')).toContain('Les deux mots de passe ne correspondent pas.');
		await expectAccessible(page);

		await page.getByLabel('Nouveau mot de passe').fill(NEW_PASSWORD);
		await page.getByLabel('Confirmez le mot de passe').fill(NEW_PASSWORD);
		await page.getByRole('button', { name: 'Changer mon mot de passe' }).click();
		await page.waitForURL(server.url + '/login?reset=1');
		expect(await page.getByRole('status').first().textContent()).toContain('Votre mot de passe a été changé');

		await signInWithPassword(page, PERSON.email, PERSON.password);
		expect(await page.getByRole('alert').first().textContent()).toContain('Adresse e-mail ou mot de passe incorrect.');
		await signInWithPassword(page, PERSON.email, NEW_PASSWORD);
		expect(new URL(page.url()).pathname).toBe('/');
		expect(await sessionUser(ctx)).toMatchObject({ email: PERSON.email });
		await ctx.close();
	});

	it('stops password guessing: the 9th wrong attempt on one account says "Trop de tentatives"', async () => {
		const victim = { email: 'bruno.leroy@example.org', password: 'un chat roux sur le toit' };
		const r = await postForm('/signup', { name: 'Bruno Leroy', email: victim.email, password: victim.password, terms: 'on' });
		expect(r.status, 'sign-up by form post').toBe(303);

		const ctx = await phoneContext(browser);
		const page = await ctx.newPage();
		await page.goto(server.url + '/login');
		const messages: string[] = [];
		for (let i = 1; i <= 9; i++) {
			await signInWithPassword(page, victim.email, `mauvais essai numéro ${i}`);
			messages.push((await page.getByRole('alert').first().textContent()) ?? '');
		}
		for (const m of messages.slice(0, 8)) expect(m).toContain('Adresse e-mail ou mot de passe incorrect.');
		expect(messages[8]).toContain('Trop de tentatives');
		expect(await passwordForm(page).getByLabel('Adresse e-mail').inputValue()).toBe(victim.email);
		await expectAccessible(page);

		// Even the right password waits now; another account (same IP) is not locked out.
		await signInWithPassword(page, victim.email, victim.password);
		expect(await page.getByRole('alert').first().textContent()).toContain('Trop de tentatives');
		expect(await sessionUser(ctx)).toBeNull();
		await signInWithPassword(page, PERSON.email, NEW_PASSWORD);
		expect(new URL(page.url()).pathname).toBe('/');
		expect(await sessionUser(ctx)).toMatchObject({ email: PERSON.email });
		await ctx.close();
	});

	it('switches the language to English', async () => {
		const ctx = await phoneContext(browser);
		const page = await ctx.newPage();
		await page.goto(server.url + '/login');
		expect(await page.getAttribute('html', 'lang')).toBe('fr');
		await page.locator('header details.menu > summary').click();
		await page.getByLabel('Langue').selectOption('en');
		await page.getByRole('button', { name: 'Changer' }).click();
		await page.waitForURL(server.url + '/login');
		expect(await page.getAttribute('html', 'lang')).toBe('en');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
		expect(await passwordForm(page).getByLabel('Email address').count()).toBe(1);
		expect(await passwordForm(page).getByRole('button', { name: 'Sign in' }).count()).toBe(1);
		const entries = await menuEntries(page);
		expect(entries).toContain('Create an account');
		await expectAccessible(page);

		// The choice sticks on the next page.
		await page.goto(server.url + '/signup');
		expect(await page.getAttribute('html', 'lang')).toBe('en');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Create an account');
		await expectAccessible(page);
		await ctx.close();
	});
});
