// Journeys of the people of a place, on a phone, in French, on the La Tréso demo: a role change takes effect
// on the next request (with and without JavaScript), a member downloads their personal data, and someone
// deletes their account (wrong confirmation first; the last admin cannot leave).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD, expectAccessible, launchBrowser, loadDemo, menuEntries, phoneContext, startServer, startSmtpCapture, type CapturedMail, type LieuServer } from './harness';

let server: LieuServer;
let browser: Browser;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;

// The demo logins (src/lib/modules/places/demo.server.ts).
const ADMIN = 'admin@la-treso.demo';
const LEA = { name: 'Léa Martin', email: 'membre@la-treso.demo' };
const PAUL = { name: 'Paul Girard', email: 'paul@la-treso.demo' };
const SOPHIE = { name: 'Sophie Bernard', email: 'sophie@la-treso.demo' };
const FORBIDDEN = 'Vous n’avez pas l’autorisation de faire cela.';
const INVALID_CREDENTIALS = 'Adresse e-mail ou mot de passe incorrect.';

beforeAll(async () => {
	smtp = await startSmtpCapture();
	[server, browser] = await Promise.all([
		startServer({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_SECURE: 'false', MAIL_FROM: 'La Tréso <bonjour@la-treso.test>' }),
		launchBrowser()
	]);
	await loadDemo(server);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await smtp?.close();
});

/** Waits for a mail to `to` with this subject that arrived after `since` mails had been caught. */
async function mailAfter(since: number, to: string, subject: RegExp, timeoutMs = 30_000): Promise<CapturedMail> {
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
async function sessionUser(ctx: BrowserContext): Promise<{ email: string } | null> {
	const r = await ctx.request.get(server.url + '/api/auth/get-session');
	const body = await r.json().catch(() => null);
	return body?.user ?? null;
}

const passwordForm = (page: Page) => page.locator('form[action="?/password"]');

/** Signs in through the password form of /login and stays on the page it lands on. */
async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
	await page.goto(server.url + '/login');
	await passwordForm(page).getByLabel('Adresse e-mail').fill(email);
	await passwordForm(page).getByLabel('Mot de passe').fill(password);
	await passwordForm(page).getByRole('button', { name: 'Me connecter' }).click();
	// why: with JavaScript the form posts in the background; under load, 'load' of the old page comes first.
	// Wait until the sign-in page is left or shows its error.
	await Promise.race([
		page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 20_000 }),
		page.locator('.alert.error').first().waitFor({ timeout: 20_000 })
	]).catch(() => {});
	await page.waitForLoadState('load');
}

/** A new phone context signed in as this person (its page is on the home page). */
async function signedIn(email: string, opts: { javaScriptEnabled?: boolean } = {}): Promise<{ ctx: BrowserContext; page: Page }> {
	const ctx = await phoneContext(browser, opts);
	const page = await ctx.newPage();
	await signIn(page, email);
	expect(new URL(page.url()).pathname, `signed in as ${email}`).toBe('/');
	expect(await sessionUser(ctx)).toMatchObject({ email });
	return { ctx, page };
}

/** The admin changes someone's role on /admin/people (the page must be open) and returns the status text. */
async function changeRole(page: Page, name: string, roleName: string): Promise<string> {
	await page.getByLabel(`Rôle de ${name}`).selectOption({ label: roleName });
	await page.getByRole('button', { name: `Changer le rôle de ${name}` }).click();
	await page.waitForLoadState('load');
	return ((await page.getByRole('status').first().textContent()) ?? '').trim();
}

/** The selected option's text of someone's role picker. */
async function selectedRole(page: Page, name: string): Promise<string> {
	return (await page.getByLabel(`Rôle de ${name}`).locator('option:checked').textContent())?.trim() ?? '';
}

describe('people of a place (phone, French, La Tréso demo)', () => {
	it('a role change takes effect on the next request: a member made staff sees the people, demoted is refused again', async () => {
		const lea = await signedIn(LEA.email);
		const admin = await signedIn(ADMIN);

		// Léa, a member, is refused.
		let res = await lea.page.goto(server.url + '/admin/people');
		expect(res?.status()).toBe(403);
		expect(await lea.page.textContent('main')).toContain(FORBIDDEN);
		expect(await menuEntries(lea.page)).not.toContain('Personnes');
		await expectAccessible(lea.page);

		// The admin makes her staff.
		await admin.page.goto(server.url + '/admin/people');
		expect(await admin.page.getByRole('heading', { level: 1 }).textContent()).toBe('Personnes du lieu');
		expect(await selectedRole(admin.page, LEA.name)).toBe('Membre');
		await expectAccessible(admin.page);
		expect(await changeRole(admin.page, LEA.name, 'Équipe')).toBe('Rôle modifié.');
		expect(await selectedRole(admin.page, LEA.name)).toBe('Équipe');
		await expectAccessible(admin.page);

		// Léa's next request sees the list (staff has people.view) and the admin menu entry, but no role forms.
		res = await lea.page.goto(server.url + '/admin/people');
		expect(res?.status()).toBe(200);
		expect(await lea.page.getByRole('heading', { level: 1 }).textContent()).toBe('Personnes du lieu');
		const listed = await lea.page.locator('ul.members').textContent();
		expect(listed).toContain(PAUL.email);
		expect(listed).toContain(ADMIN);
		expect(await lea.page.getByRole('button', { name: /Changer le rôle/ }).count()).toBe(0);
		expect(await menuEntries(lea.page)).toContain('Personnes');
		await expectAccessible(lea.page);

		// Demoted back to member: refused again.
		await admin.page.goto(server.url + '/admin/people');
		expect(await changeRole(admin.page, LEA.name, 'Membre')).toBe('Rôle modifié.');
		expect(await selectedRole(admin.page, LEA.name)).toBe('Membre');
		res = await lea.page.goto(server.url + '/admin/people');
		expect(res?.status()).toBe(403);
		expect(await lea.page.textContent('main')).toContain(FORBIDDEN);
		expect(await menuEntries(lea.page)).not.toContain('Personnes');
		await lea.ctx.close();
		await admin.ctx.close();
	});

	it('changes a role with JavaScript disabled (plain form post)', async () => {
		const admin = await signedIn(ADMIN, { javaScriptEnabled: false });
		await admin.page.goto(server.url + '/admin/people');
		expect(await selectedRole(admin.page, PAUL.name)).toBe('Membre');
		expect(await changeRole(admin.page, PAUL.name, 'Résident·e')).toBe('Rôle modifié.');
		expect(await selectedRole(admin.page, PAUL.name)).toBe('Résident·e');
		// The same role again is reported as unchanged.
		expect(await changeRole(admin.page, PAUL.name, 'Résident·e')).toBe('Cette personne avait déjà ce rôle.');
		// A fresh load shows the stored role (not just the form's echo).
		await admin.page.goto(server.url + '/admin/people');
		expect(await selectedRole(admin.page, PAUL.name)).toBe('Résident·e');
		await admin.ctx.close();

		// Paul, now resident (people.view), sees the list.
		const paul = await signedIn(PAUL.email);
		const res = await paul.page.goto(server.url + '/admin/people');
		expect(res?.status()).toBe(200);
		expect(await paul.page.getByRole('heading', { level: 1 }).textContent()).toBe('Personnes du lieu');
		await expectAccessible(paul.page);
		await paul.ctx.close();
	});

	it('a member downloads their data: a dated JSON attachment with their account and memberships, no secret', async () => {
		const { ctx, page } = await signedIn(SOPHIE.email);
		await page.goto(server.url + '/profile');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Mon profil');
		await expectAccessible(page);

		// An API token first, so the export has a secret it must not reveal.
		await page.getByLabel('Nom du jeton').fill('Tableur');
		await page.getByRole('button', { name: 'Créer un jeton' }).click();
		await page.waitForLoadState('load');
		const token = ((await page.locator('section[aria-labelledby="tokens"] pre code').first().textContent()) ?? '').trim();
		expect(token.length).toBeGreaterThan(20);
		await expectAccessible(page);

		// (the first link of that name is the "on this page" table of contents, to the #export section)
		const link = page.locator('section[aria-labelledby="export"]').getByRole('link', { name: 'Télécharger mes données (JSON)' });
		expect(await link.getAttribute('href')).toBe('/profile/export');
		const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
		expect(download.suggestedFilename()).toMatch(/^lieu-mes-donnees-\d{4}-\d{2}-\d{2}\.json$/);
		const downloaded = fs.readFileSync((await download.path())!, 'utf8');

		const r = await ctx.request.get(server.url + '/profile/export');
		expect(r.status()).toBe(200);
		expect(r.headers()['content-type']).toContain('application/json');
		const disposition = r.headers()['content-disposition'];
		expect(disposition).toMatch(/^attachment; filename="lieu-mes-donnees-(\d{4})-(\d{2})-(\d{2})\.json"$/);
		// The date is today's in Paris (the person's place), not in the server's time zone.
		const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
		expect([disposition, download.suggestedFilename()].join(' ')).toContain(`lieu-mes-donnees-${today}.json`);
		expect(r.headers()['cache-control']).toBe('no-store');
		const text = await r.text();

		for (const body of [text, downloaded]) {
			const data = JSON.parse(body);
			expect(data.account).toMatchObject({ email: SOPHIE.email, name: SOPHIE.name });
			expect(data.memberships).toEqual(expect.arrayContaining([expect.objectContaining({ place: 'la-treso', placeName: 'La Tréso', role: 'member' })]));
			expect(data.apiTokens).toEqual([expect.objectContaining({ name: 'Tableur', prefix: token.slice(0, data.apiTokens[0].prefix.length) })]);
			expect(data.signInMethods.length).toBeGreaterThan(0);
			// No password hash (scrypt "salt:key" in hex), no token or token hash, no session token.
			expect(body).not.toMatch(/[0-9a-f]{16,}:[0-9a-f]{32,}/i);
			expect(body).not.toContain(token);
			expect(body).not.toContain(crypto.createHash('sha256').update(token).digest('hex'));
			expect(body).not.toMatch(/"(password|tokenHash|token)"\s*:/i);
			expect(body).not.toMatch(/\b[0-9a-f]{64}\b/i);
		}

		// Signed out, the export is not served.
		const anon = await phoneContext(browser);
		const a = await anon.request.get(server.url + '/profile/export', { maxRedirects: 0 });
		expect(a.status()).toBe(303);
		expect(a.headers()['location']).toContain('/login');
		await anon.close();
		await ctx.close();
	});

	it('deletes an account: a wrong e-mail is refused and kept, the right one erases it, signs out and mails a confirmation', async () => {
		const person = { name: 'Margaux Lefèvre', email: 'margaux.lefevre@example.org', password: 'des tomates cerises sur le balcon' };

		// The admin invites her, so she is one of the people of La Tréso.
		const admin = await signedIn(ADMIN);
		await admin.page.goto(server.url + '/admin/people');
		let since = smtp.mails.length;
		const invite = admin.page.locator('form[action="?/invite"]');
		await invite.getByLabel('Adresse e-mail').fill(person.email);
		await invite.getByRole('button', { name: 'Envoyer l’invitation' }).click();
		await admin.page.waitForLoadState('load');
		expect(await admin.page.getByRole('status').first().textContent()).toContain(`Invitation envoyée à ${person.email}.`);
		const inviteLink = linkIn(await mailAfter(since, person.email, /Invitation à rejoindre La Tréso/));

		// She creates her account from the invitation, then accepts it.
		const ctx = await phoneContext(browser);
		const page = await ctx.newPage();
		await page.goto(inviteLink);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Rejoindre La Tréso');
		await expectAccessible(page);
		await page.locator('main').getByRole('link', { name: 'Créer un compte' }).click();
		await page.waitForURL((u) => u.pathname === '/signup');
		await expectAccessible(page);
		since = smtp.mails.length;
		await page.getByLabel('Nom').fill(person.name);
		await page.getByLabel('Adresse e-mail').fill(person.email);
		await page.getByLabel('Mot de passe').fill(person.password);
		await page.getByLabel('J’accepte les conditions').check();
		await page.getByRole('button', { name: 'Créer mon compte' }).click();
		await page.waitForURL((u) => u.pathname.startsWith('/invite/'));
		expect(await sessionUser(ctx)).toMatchObject({ email: person.email });
		await mailAfter(since, person.email, /Confirmez votre adresse e-mail/);
		await page.getByRole('button', { name: 'Accepter l’invitation' }).click();
		await page.waitForURL(server.url + '/la-treso');
		expect(await page.textContent('main')).toContain('Vous êtes membre de ce lieu.');

		await admin.page.goto(server.url + '/admin/people');
		expect(await admin.page.locator('ul.members').textContent()).toContain(person.email);

		// Deletion, first with a wrong e-mail: refused, the typed value kept, nothing erased.
		await page.goto(server.url + '/profile');
		await expectAccessible(page);
		const confirm = page.getByLabel('Pour confirmer, tapez votre adresse e-mail');
		expect(await confirm.getAttribute('id')).toBe('f-confirmEmail');
		await confirm.fill('pas.moi@example.org');
		await page.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click();
		await page.waitForLoadState('load');
		expect(new URL(page.url()).pathname).toBe('/profile');
		expect(await page.locator('section.danger-zone').textContent()).toContain('Ce n’est pas l’adresse e-mail de votre compte.');
		expect(await page.locator('#f-confirmEmail').inputValue()).toBe('pas.moi@example.org');
		expect(await sessionUser(ctx)).toMatchObject({ email: person.email });
		await expectAccessible(page);

		// The right e-mail (typed in capitals: the check ignores case).
		since = smtp.mails.length;
		await page.locator('#f-confirmEmail').fill(person.email.toUpperCase());
		await page.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click();
		await page.waitForURL(server.url + '/?deleted=1');
		expect(await page.getByRole('status').first().textContent()).toContain('Votre compte a été supprimé');
		expect(await sessionUser(ctx)).toBeNull();
		expect(await menuEntries(page)).toContain('Se connecter');
		await expectAccessible(page);
		const bye = await mailAfter(since, person.email, /Votre compte a été supprimé/);
		expect(bye.text).toContain('Votre compte et vos données personnelles ont été effacés.');

		// The old e-mail and password no longer open anything.
		await signIn(page, person.email, person.password);
		expect(new URL(page.url()).pathname).toBe('/login');
		expect(await page.getByRole('alert').first().textContent()).toContain(INVALID_CREDENTIALS);
		expect(await sessionUser(ctx)).toBeNull();
		await expectAccessible(page);
		// /profile sends a signed-out visitor to sign in.
		await page.goto(server.url + '/profile');
		expect(new URL(page.url()).pathname).toBe('/login');
		await ctx.close();

		// The admin's list no longer has her.
		await admin.page.goto(server.url + '/admin/people');
		const listed = await admin.page.locator('ul.members').textContent();
		expect(listed).not.toContain(person.email);
		expect(listed).not.toContain(person.name);
		expect(listed).toContain(LEA.email);
		await admin.ctx.close();
	});

	it('the only admin of La Tréso cannot delete their account: last-admin message, nothing deleted', async () => {
		const { ctx, page } = await signedIn(ADMIN);
		await page.goto(server.url + '/profile');
		const since = smtp.mails.length;
		await page.locator('#f-confirmEmail').fill(ADMIN);
		await page.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click();
		await page.waitForLoadState('load');
		expect(new URL(page.url()).pathname).toBe('/profile');
		const zone = await page.locator('section.danger-zone').textContent();
		expect(zone).toContain('Le lieu doit garder au moins un administrateur.');
		expect(zone).toContain('Vous êtes le seul administrateur d’un lieu qui a d’autres membres.');
		expect(await page.locator('#f-confirmEmail').inputValue()).toBe(ADMIN);
		await expectAccessible(page);

		// Still there: signed in, profile loads, still admin of the people page; no farewell mail.
		expect(await sessionUser(ctx)).toMatchObject({ email: ADMIN });
		const res = await page.goto(server.url + '/profile');
		expect(res?.status()).toBe(200);
		expect(await page.locator('.email-line strong').textContent()).toBe(ADMIN);
		const people = await page.goto(server.url + '/admin/people');
		expect(people?.status()).toBe(200);
		expect(await page.locator('ul.members').textContent()).toContain(ADMIN);
		await new Promise((r) => setTimeout(r, 1000));
		expect(smtp.mails.slice(since).filter((m) => m.to.includes(ADMIN))).toEqual([]);
		await ctx.close();
	});
});
