// Background jobs: small, idempotent sweeps the server runs on a timer (LIEU_JOBS_INTERVAL seconds, 0 = off) and
// an operator can run once from cron with `lieu jobs run`. Each job is safe to run from two processes at
// once (they lock with SKIP LOCKED or only pick rows still pending), so a cron next to the server is harmless.
import type { Db } from './db/client';
import { log } from './log';
import { flushOutbox } from './mail';
import { expireDueOrders } from '../modules/money/checkout.server';
import { expireWaitlistOffers } from '../modules/booking/waitlist.server';
// why: expiring an order calls release() on the sellable of each line; a module registers its sellables when it
// is imported, so every module that sells through the checkout is imported here (a CLI process loads nothing else).
import '../modules/money/wallet.server';
import '../modules/booking/commands.server';
import '../modules/booking/materials.server';
import '../modules/trainings/sellable.server';

export interface Job {
	name: string;
	/** Does one pass; returns how many things it handled. */
	run: (db: Db, now: Date) => Promise<number>;
}

export const JOBS: Job[] = [
	// Unpaid orders past their deadline: release the seats, slots or stock they held.
	{ name: 'orders.expire', run: (db, now) => expireDueOrders(db, { now }) },
	// Waiting-list offers nobody took in time: passed to the next person waiting.
	{ name: 'waitlist.expire', run: (db, now) => expireWaitlistOffers(db, { now }) },
	// Mails queued while SMTP was down or slow.
	{ name: 'mail.flush', run: (db) => flushOutbox(db) }
];

export type JobResult = { name: string; count: number; error?: undefined } | { name: string; count: 0; error: string };

/** Runs every job once, in order; a failing job is reported and does not stop the others. */
export async function runJobsOnce(db: Db, now: Date = new Date(), jobs: Job[] = JOBS): Promise<JobResult[]> {
	const results: JobResult[] = [];
	for (const job of jobs) {
		try {
			const count = await job.run(db, now);
			results.push({ name: job.name, count });
			if (count) log().info({ job: job.name, count }, 'job done');
		} catch (err) {
			log().error({ err, job: job.name }, 'job failed');
			results.push({ name: job.name, count: 0, error: String((err as Error)?.message ?? err) });
		}
	}
	return results;
}

/**
 * Starts the periodic runner: a pass every intervalMs, never two passes at once in this process, and a timer
 * that does not keep the process alive. Returns stop(), which waits for a pass in progress to finish.
 */
export function startJobs(getDb: () => Promise<Db>, intervalMs: number, jobs: Job[] = JOBS): () => Promise<void> {
	let running: Promise<unknown> | null = null;
	let stopped = false;
	const tick = () => {
		if (running || stopped) return;
		running = getDb()
			.then((db) => runJobsOnce(db, new Date(), jobs))
			.catch((err) => log().error({ err }, 'jobs pass failed'))
			.finally(() => (running = null));
	};
	const timer = setInterval(tick, intervalMs);
	timer.unref();
	return async () => {
		stopped = true;
		clearInterval(timer);
		await running;
	};
}
