// Browser-journey harness: a real Lieu server (child process, fresh PGlite folder), a real SMTP capture
// server in this process, Debian's Chromium driven by playwright-core, and axe-core on every page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';

export function chromiumPath(): string | undefined {
	for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) if (p && fs.existsSync(p)) return p;
	return undefined;
}

import { freePort } from '../helpers/smtp';
export { freePort, startSmtpCapture, type CapturedMail } from '../helpers/smtp';

export interface LieuServer {
	url: string;
	port: number;
	dataDir: string;
	proc: ChildProcess;
	logs: string[];
	stop(): Promise<void>;
}

/** Starts the built app on a free port with a fresh PGlite folder. */
export async function startServer(env: Record<string, string> = {}): Promise<LieuServer> {
	const port = await freePort();
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lieu-e2e-'));
	const logs: string[] = [];
	const proc = spawn(process.execPath, ['scripts/start.mjs'], {
		env: { ...process.env, LIEU_BUILD_DIR: inject('buildDir'), PORT: String(port), HOST: '127.0.0.1', LIEU_DATA_DIR: dataDir, LIEU_BASE_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn', TZ: 'Asia/Kathmandu', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	proc.stdout!.on('data', (d) => logs.push(String(d)));
	proc.stderr!.on('data', (d) => logs.push(String(d)));
	const url = `http://127.0.0.1:${port}`;
	const t0 = Date.now();
	for (;;) {
		if (proc.exitCode !== null) throw new Error(`server exited: ${logs.join('')}`);
		try {
			const r = await fetch(`${url}/healthz`);
			if (r.ok) break;
		} catch {
			/* not yet */
		}
		if (Date.now() - t0 > 60_000) throw new Error(`server did not start: ${logs.join('')}`);
		await new Promise((r) => setTimeout(r, 200));
	}
	return {
		url,
		port,
		dataDir,
		proc,
		logs,
		stop: async () => {
			if (proc.exitCode === null) {
				proc.kill('SIGTERM');
				await new Promise((r) => proc.once('exit', r));
			}
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

export async function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: chromiumPath(),
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
	});
}

/** A phone-sized French context (390×844), JavaScript on or off. */
export async function phoneContext(browser: Browser, opts: { javaScriptEnabled?: boolean; locale?: string } = {}): Promise<BrowserContext> {
	return browser.newContext({
		viewport: { width: 390, height: 844 },
		deviceScaleFactor: 2,
		isMobile: true,
		hasTouch: true,
		locale: opts.locale ?? 'fr-FR',
		javaScriptEnabled: opts.javaScriptEnabled ?? true
	});
}

const axeSource = fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');

/** Runs axe-core on the page and fails on any serious or critical violation. */
export async function expectAccessible(page: Page) {
	await page.addScriptTag({ content: axeSource });
	const result = await page.evaluate(async () => {
		// @ts-expect-error injected global
		const r = await window.axe.run(document, { resultTypes: ['violations'] });
		return r.violations.map((v: { id: string; impact: string; nodes: { target: string[] }[] }) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
	});
	const serious = result.filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical');
	expect(serious, `axe violations on ${page.url()}`).toEqual([]);
}

/** Opens the header menu (a <details>, works without JavaScript) if it is closed; returns it. */
async function openMenu(page: Page) {
	const menu = page.locator('header details.menu');
	if (!(await menu.evaluate((d) => (d as HTMLDetailsElement).open))) await menu.locator('> summary').click();
	return menu;
}

/** Opens the header menu and returns the texts of all its links and buttons (those of closed sections too). */
export async function menuEntries(page: Page): Promise<string[]> {
	const menu = await openMenu(page);
	return (await menu.locator('nav a, nav button').allTextContents()).map((s) => s.trim());
}

/** Opens the header menu and the section holding the link named so (as a person would), and returns that link. */
export async function menuLink(page: Page, name: string) {
	const menu = await openMenu(page);
	const link = menu.locator('nav').getByRole('link', { name, exact: true });
	// why: a link in a closed section is hidden, so a role query (visible elements only) cannot find its section.
	const exact = new RegExp(`^\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
	const section = menu.locator('details.nav-section').filter({ has: page.locator('a').filter({ hasText: exact }) });
	if ((await section.count()) && !(await section.evaluate((d) => (d as HTMLDetailsElement).open))) await section.locator('> summary').click();
	return link;
}

/**
 * axe needs JavaScript: checks the page a no-JavaScript visitor is on in a JavaScript-enabled twin with the same
 * cookies (the page's URL is opened again: use it on pages reached by a GET).
 */
export async function expectAccessibleNoJs(browser: Browser, page: Page) {
	const twin = await phoneContext(browser);
	await twin.addCookies(await page.context().cookies());
	const p = await twin.newPage();
	await p.goto(page.url());
	await expectAccessible(p);
	await twin.close();
}

/** The password of every demo account (La Tréso). */
export const DEMO_PASSWORD = 'demo-treso-2026';

/** Loads the La Tréso demo on a fresh instance through the setup page's form post (as a newcomer would). */
export async function loadDemo(server: LieuServer): Promise<void> {
	const r = await fetch(server.url + '/setup?/demo', {
		method: 'POST',
		headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: '',
		redirect: 'manual'
	});
	expect(r.status, 'demo setup form post').toBe(303);
}

/**
 * Signs in with the password form of /login (JavaScript on or off) and waits until the sign-in page is left;
 * fails naming the error the page shows otherwise. Sign-in hashes a password (argon2): on a loaded machine it
 * can take long, so it waits up to a minute, and never on the old page's `load` event (which races).
 */
export async function signIn(page: Page, baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<void> {
	await page.goto(baseUrl + '/login');
	const form = page.locator('form[action="?/password"]');
	await form.getByLabel('Adresse e-mail').fill(email);
	await form.getByLabel('Mot de passe').fill(password);
	await form.getByRole('button', { name: 'Me connecter' }).click();
	const left = await Promise.race([
		page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 60_000 }).then(() => true),
		page.locator('.alert.error').first().waitFor({ timeout: 60_000 }).then(() => false)
	]).catch(() => false);
	if (!left) throw new Error(`sign-in as ${email} failed: ${(await page.locator('.alert.error').first().textContent().catch(() => null)) ?? 'still on ' + page.url()}`);
	await page.waitForLoadState('load', { timeout: 60_000 });
}

/** A new phone-sized context signed in as this person (its page is where sign-in led: the home page). */
export async function signedInPhone(browser: Browser, baseUrl: string, email: string, opts: { javaScriptEnabled?: boolean; password?: string } = {}): Promise<{ ctx: BrowserContext; page: Page }> {
	const ctx = await phoneContext(browser, { javaScriptEnabled: opts.javaScriptEnabled });
	const page = await ctx.newPage();
	await signIn(page, baseUrl, email, opts.password);
	return { ctx, page };
}
