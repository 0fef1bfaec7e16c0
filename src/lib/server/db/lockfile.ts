import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Takes an exclusive lock on a PGlite data folder (one process may own it: two would corrupt it).
 * The lock is a file holding the owner's pid; a lock left by a dead process is taken over.
 * Returns a release function.
 */
export function lockDataDir(dir: string, holder: string): () => void {
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, 'lieu.lock');
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			fs.writeFileSync(file, JSON.stringify({ pid: process.pid, holder, since: new Date().toISOString() }), { flag: 'wx' });
			let released = false;
			const release = () => {
				if (released) return;
				released = true;
				try {
					const cur = JSON.parse(fs.readFileSync(file, 'utf8'));
					if (cur.pid === process.pid) fs.unlinkSync(file);
				} catch {
					/* already gone */
				}
			};
			process.once('exit', release);
			return release;
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
			let owner: { pid?: number; holder?: string; since?: string } = {};
			try {
				owner = JSON.parse(fs.readFileSync(file, 'utf8'));
			} catch {
				/* half-written lock: treat as stale */
			}
			if (owner.pid && alive(owner.pid)) {
				throw new AppError('data_dir_locked', {
					detail: `The data folder ${dir} is in use by another Lieu process (${owner.holder ?? 'unknown'}, pid ${owner.pid}, since ${owner.since}). Stop it first, or use DATABASE_URL to share a PostgreSQL server.`
				});
			}
			fs.rmSync(file, { force: true });
		}
	}
	throw new AppError('data_dir_locked', { detail: `Could not lock ${dir}` });
}
