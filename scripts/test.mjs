// `npm test`: runs every suite this machine can run, and says loudly which ones it could not run and why.
//   unit       always
//   db-pglite  always (embedded PGlite)
//   db-postgres when TEST_DATABASE_URL points at a PostgreSQL 15+ server
//   e2e        when Chromium is installed (/usr/bin/chromium or CHROMIUM_PATH)
// Extra arguments go to vitest (e.g. `npm test -- src/lib/modules/places`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const chromium = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && fs.existsSync(p));
const projects = ['unit', 'db-pglite'];
const missing = [];
if (process.env.TEST_DATABASE_URL) projects.push('db-postgres');
else missing.push('db-postgres: TEST_DATABASE_URL is not set (the race and constraint tests did not run on a real PostgreSQL server; .ci/run sets one up)');
if (chromium) projects.push('e2e');
else missing.push('e2e: Chromium not found (apt-get install chromium, or set CHROMIUM_PATH); the browser journeys and accessibility checks did not run');

const banner = (lines) => {
	const bar = '!'.repeat(78);
	console.log(`\n${bar}\n${lines.map((l) => `!! ${l}`).join('\n')}\n${bar}\n`);
};
if (missing.length) banner(['SUITES THAT WILL NOT RUN ON THIS MACHINE:', ...missing.map((m) => `  - ${m}`)]);

const out = path.join(os.tmpdir(), `lieu-vitest-${process.pid}.json`);
const args = ['node_modules/vitest/vitest.mjs', 'run', ...projects.flatMap((p) => ['--project', p]), '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)];
const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, TZ: 'Asia/Kathmandu', CHROMIUM_PATH: chromium ?? '' } });

let summary = '';
try {
	const j = JSON.parse(fs.readFileSync(out, 'utf8'));
	summary = `${j.numPassedTests} passed, ${j.numFailedTests + j.numFailedTestSuites} failed`;
	if (j.numPendingTests || j.numTodoTests) summary += `, ${j.numPendingTests + j.numTodoTests} skipped`;
	fs.rmSync(out, { force: true });
} catch {
	/* vitest crashed before writing its report */
}
if (missing.length) banner(['NOT RUN: ' + missing.map((m) => m.split(':')[0]).join(', ') + ' (see the top of this output)']);
console.log(`suites run: ${projects.join(', ')}`);
if (summary) console.log(summary);
process.exit(r.status ?? 1);
