// Response schemas of the accounting routes of the JSON API (they also document them in OpenAPI).
import { z } from 'zod';

const cents = z.number().int();
const amounts = z.object({ htCents: cents.describe('Excluding VAT'), vatCents: cents, ttcCents: cents.describe('VAT included') });

export const vatReportOutput = z.object({
	period: z.object({ from: z.string(), to: z.string() }).describe('Whole days, inclusive, in the place’s time zone.'),
	rates: z.array(amounts.extend({ rateBp: z.number().int().describe('VAT rate in basis points (1000 = 10 %)') })).describe('Taxable sales per VAT rate, highest rate first.'),
	taxable: amounts.describe('Total of the taxable sales.'),
	outsideScope: amounts.describe('Outside the scope of VAT (share subscriptions, donations): not revenue.')
});
