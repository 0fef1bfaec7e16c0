// Global setup of the browser journeys: checks Chromium is there and builds the app once.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { chromiumPath } from '../e2e/harness';

export default function setup() {
	if (!chromiumPath()) throw new Error('E2E suite cannot run: Chromium not found (apt-get install chromium, or set CHROMIUM_PATH).');
	const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
	if (r.status !== 0 || !fs.existsSync('build/handler.js')) throw new Error('E2E suite cannot run: the app did not build.');
}
