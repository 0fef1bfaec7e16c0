// Builds the app when build/ is missing or older than the sources (run by `npm install` via "prepare",
// and by `npm start`), so a newcomer's `npm install && npm start` serves the current code.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const stamp = path.join(root, 'build', 'index.js');

function newest(dir) {
	let t = 0;
	if (!fs.existsSync(dir)) return 0;
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
	}
	return t;
}

export function needsBuild() {
	if (!fs.existsSync(stamp)) return true;
	const built = fs.statSync(stamp).mtimeMs;
	const src = Math.max(newest(path.join(root, 'src')), newest(path.join(root, 'static')), ...['svelte.config.js', 'vite.config.ts', 'package.json'].map((f) => (fs.existsSync(path.join(root, f)) ? fs.statSync(path.join(root, f)).mtimeMs : 0)));
	return src > built;
}

export function build() {
	console.log('[lieu] building the app (once, ~15 s)…');
	const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
	if (r.status !== 0) process.exit(r.status ?? 1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
	if (needsBuild()) build();
}
