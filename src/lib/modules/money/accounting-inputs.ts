// Input schemas of the accounting exports and the money dashboard (messages are i18n keys). Amounts typed in
// forms are euros ("1 234,56", "1234.5", "800"); they become integer cents here, never floats in between.
import { z } from 'zod';
import { COST_CATEGORIES } from './accounting-schema';
import { isDay } from './accounting-rules';
import { parseEurosToCents } from './rules';

/** "1 234,56" / "1234.56" / "800" → cents; undefined when not a plain positive amount with ≤ 2 decimals. */
export function parseEuros(raw: string): number | undefined {
	return parseEurosToCents(raw) ?? undefined;
}

const euros = (max: number) =>
	z.union([z.string('field.required'), z.number('field.invalid')], 'field.required').transform((v, ctx) => {
		if (typeof v === 'string' && !v.trim()) {
			ctx.addIssue({ code: 'custom', message: 'field.required' });
			return z.NEVER;
		}
		const cents = typeof v === 'number' ? (Number.isFinite(v) && Math.abs(v * 100 - Math.round(v * 100)) < 1e-6 ? Math.round(v * 100) : undefined) : parseEuros(v);
		if (cents === undefined || cents <= 0 || cents > max) {
			ctx.addIssue({ code: 'custom', message: 'field.acct_amount_invalid' });
			return z.NEVER;
		}
		return cents;
	});

const day = (required: boolean) =>
	z
		.string('field.required')
		.trim()
		.refine((s) => (required ? isDay(s) : s === '' || isDay(s)), { message: 'field.acct_date_invalid' });

/** A cost of a month, entered from the dashboard (money.manage). */
export const costInput = z.strictObject({
	month: z.string('field.required').trim().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'field.acct_month_invalid'),
	category: z.enum(COST_CATEGORIES, 'field.invalid'),
	label: z.string('field.invalid').trim().max(120, 'field.too_long').default(''),
	amount: euros(100_000_000)
});
export type CostInput = z.input<typeof costInput>;

/** An investment subsidy (money.manage). */
export const subsidyInput = z
	.strictObject({
		funder: z.string('field.required').trim().min(1, 'field.required').max(120, 'field.too_long'),
		amount: euros(1_000_000_000),
		grantedOn: day(true),
		purpose: z.string('field.invalid').trim().max(300, 'field.too_long').default(''),
		receivedOn: day(false).optional()
	})
	.superRefine((v, ctx) => {
		if (v.receivedOn && v.grantedOn && v.receivedOn < v.grantedOn) ctx.addIssue({ code: 'custom', path: ['receivedOn'], message: 'field.acct_received_before_granted' });
	});
export type SubsidyInput = z.input<typeof subsidyInput>;

/** Longest period of an export: two years and a day (a first fiscal year may last up to 24 months). */
export const MAX_PERIOD_DAYS = 731;

/** A period of whole days (inclusive, in the place's zone). */
export const periodInput = z
	.strictObject({
		from: z.string('field.required').trim().refine(isDay, { message: 'field.acct_date_invalid' }),
		to: z.string('field.required').trim().refine(isDay, { message: 'field.acct_date_invalid' })
	})
	.superRefine((v, ctx) => {
		if (!isDay(v.from) || !isDay(v.to)) return;
		if (v.to < v.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'field.acct_period_reversed' });
		else if ((Date.parse(v.to) - Date.parse(v.from)) / 86_400_000 > MAX_PERIOD_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: 'field.acct_period_too_long' });
	});
export type PeriodInput = z.input<typeof periodInput>;
