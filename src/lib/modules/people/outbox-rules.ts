// Rules of the mail outbox shared by the server and the outbox page.

/** Whether a mail can be sent again by hand: it failed for good, or waits for its next retry after a refusal. */
export function mayResend(m: { status: string; attempts: number }): boolean {
	return m.status === 'failed' || (m.status === 'pending' && m.attempts > 0);
}
