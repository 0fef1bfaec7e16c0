// Why a booking was cancelled, as words for its person: the translation key (and parameters) of its cancel reason.
// An outage names its own reason ("Machine hors service : tube à changer").

const KNOWN = ['member', 'staff', 'unpaid', 'rescheduled'] as const;

export function cancelReasonMessage(b: { status: string; cancelReason: string | null; outageReason: string | null }): { key: string; params?: Record<string, string> } | null {
	if (b.status !== 'cancelled' || !b.cancelReason) return null;
	if (b.cancelReason === 'maintenance') return b.outageReason ? { key: 'booking.cancel_reason.maintenance', params: { reason: b.outageReason } } : { key: 'booking.cancel_reason.maintenance_plain' };
	return (KNOWN as readonly string[]).includes(b.cancelReason) ? { key: `booking.cancel_reason.${b.cancelReason}` } : null;
}
