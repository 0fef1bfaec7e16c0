// Geometry of the usage chart (pure, server-rendered SVG, no client JavaScript): one bar per month of used hours,
// and the colours of the occupancy heatmap.
import { scaleBand, scaleLinear } from 'd3-scale';

export interface UsageChart {
	width: number;
	height: number;
	plot: { left: number; right: number; top: number; bottom: number };
	bars: Array<{ month: string; x: number; y: number; width: number; height: number; hours: number }>;
	xLabels: Array<{ month: string; x: number }>;
	yTicks: Array<{ y: number; hours: number }>;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Lays the chart out in a viewBox of `width` × `height` (the SVG scales to its container). */
export function usageChart(months: ReadonlyArray<{ month: string; hours: number }>, opts: { width?: number; height?: number } = {}): UsageChart {
	const width = opts.width ?? 360;
	const height = opts.height ?? 180;
	const plot = { left: 30, right: width - 6, top: 10, bottom: height - 22 };
	const x = scaleBand<string>()
		.domain(months.map((m) => m.month))
		.range([plot.left, plot.right])
		.paddingInner(0.25)
		.paddingOuter(0.1);
	const y = scaleLinear()
		.domain([0, Math.max(4, ...months.map((m) => m.hours))])
		.range([plot.bottom, plot.top])
		.nice(4);
	return {
		width,
		height,
		plot,
		bars: months.map((m) => ({ month: m.month, hours: m.hours, x: round(x(m.month) ?? 0), width: round(x.bandwidth()), y: round(y(m.hours)), height: round(Math.max(m.hours > 0 ? 0.5 : 0, plot.bottom - y(m.hours))) })),
		xLabels: months.map((m) => ({ month: m.month, x: round((x(m.month) ?? 0) + x.bandwidth() / 2) })),
		yTicks: y.ticks(4).map((h) => ({ y: round(y(h)), hours: h }))
	};
}

/**
 * Background of a heatmap cell: from white (0) to a mid blue (1). The text stays dark on every shade
 * (contrast above 7:1), so the numbers are readable whatever the value.
 */
export function heatColor(share: number): string {
	const v = Math.max(0, Math.min(1, share));
	const mix = (a: number, b: number) => Math.round(a + (b - a) * v);
	return `rgb(${mix(255, 96)}, ${mix(255, 165)}, ${mix(255, 250)})`;
}
