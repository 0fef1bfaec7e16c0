// Geometry of the dashboard's revenue chart (pure, server-rendered SVG, no client JavaScript): stacked bars of
// revenue excluding VAT per activity and month, and the break-even line (the month's costs) drawn over them.
import { scaleBand, scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { Activity } from './schema';

/** Activities drawn (share subscriptions are not revenue), bottom to top, with their colours. */
export const CHART_ACTIVITIES: ReadonlyArray<{ activity: Activity; color: string }> = [
	{ activity: 'cafe', color: '#b45309' },
	{ activity: 'machines', color: '#1d4ed8' },
	{ activity: 'events', color: '#7e22ce' },
	{ activity: 'residents', color: '#047857' },
	{ activity: 'memberships', color: '#be185d' },
	{ activity: 'other', color: '#4b5563' }
];

export interface ChartMonth {
	month: string;
	revenue: Partial<Record<Activity, number>>;
	costsCents: number;
}

export interface ChartModel {
	width: number;
	height: number;
	plot: { left: number; right: number; top: number; bottom: number };
	bars: Array<{ month: string; activity: Activity; color: string; x: number; y: number; width: number; height: number; cents: number }>;
	/** The break-even path: one horizontal segment per month at the level of its costs. */
	breakEven: string;
	/** Where to write the months under the axis. */
	xLabels: Array<{ month: string; x: number }>;
	yTicks: Array<{ y: number; cents: number }>;
}

/** Lays the chart out in a viewBox of `width` × `height` (the SVG scales to its container). */
export function chartModel(months: readonly ChartMonth[], opts: { width?: number; height?: number } = {}): ChartModel {
	const width = opts.width ?? 360;
	const height = opts.height ?? 220;
	const plot = { left: 40, right: width - 6, top: 10, bottom: height - 22 };
	const x = scaleBand<string>()
		.domain(months.map((m) => m.month))
		.range([plot.left, plot.right])
		.paddingInner(0.25)
		.paddingOuter(0.1);
	const totals = months.map((m) => CHART_ACTIVITIES.reduce((s, a) => s + Math.max(0, m.revenue[a.activity] ?? 0), 0));
	const max = Math.max(100, ...totals, ...months.map((m) => m.costsCents));
	const y = scaleLinear().domain([0, max]).range([plot.bottom, plot.top]).nice(4);
	const bars: ChartModel['bars'] = [];
	for (const m of months) {
		let base = 0;
		for (const a of CHART_ACTIVITIES) {
			const cents = Math.max(0, m.revenue[a.activity] ?? 0);
			if (!cents) continue;
			const y0 = y(base);
			const y1 = y(base + cents);
			bars.push({ month: m.month, activity: a.activity, color: a.color, x: round(x(m.month) ?? 0), y: round(y1), width: round(x.bandwidth()), height: round(Math.max(0.5, y0 - y1)), cents });
			base += cents;
		}
	}
	const seg = line<[number, number]>();
	const overhang = Math.min(3, x.step() * 0.12);
	const breakEven = months
		// why: a month without costs entered has no break-even to draw (not a line at zero).
		.filter((m) => m.costsCents > 0)
		.map((m) => {
			const x0 = (x(m.month) ?? 0) - overhang;
			const yy = y(m.costsCents);
			return seg([
				[round(x0), round(yy)],
				[round(x0 + x.bandwidth() + 2 * overhang), round(yy)]
			]);
		})
		.join('');
	return {
		width,
		height,
		plot,
		bars,
		breakEven,
		xLabels: months.map((m) => ({ month: m.month, x: round((x(m.month) ?? 0) + x.bandwidth() / 2) })),
		yTicks: y.ticks(4).map((c) => ({ y: round(y(c)), cents: c }))
	};
}

function round(n: number): number {
	return Math.round(n * 10) / 10;
}
