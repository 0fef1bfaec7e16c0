import { describe, expect, it } from 'vitest';
import { cancelReasonMessage } from './cancel-reason';
import { translate } from '../../i18n';

describe('cancelReasonMessage', () => {
	it('names the outage’s reason, or says the machine was out of service when it is unknown', () => {
		const m = cancelReasonMessage({ status: 'cancelled', cancelReason: 'maintenance', outageReason: 'tube à changer' })!;
		expect(translate('fr', m.key, m.params)).toBe('Machine hors service : tube à changer');
		expect(translate('en', m.key, m.params)).toBe('Machine out of service: tube à changer');
		const plain = cancelReasonMessage({ status: 'cancelled', cancelReason: 'maintenance', outageReason: null })!;
		expect(translate('fr', plain.key)).toBe('Machine hors service');
	});
	it('words the other reasons, and nothing for a live booking or an unknown reason', () => {
		for (const r of ['member', 'staff', 'unpaid', 'rescheduled']) {
			const m = cancelReasonMessage({ status: 'cancelled', cancelReason: r, outageReason: null })!;
			expect(translate('fr', m.key)).not.toBe(m.key);
			expect(translate('en', m.key)).not.toBe(m.key);
		}
		expect(cancelReasonMessage({ status: 'confirmed', cancelReason: null, outageReason: null })).toBeNull();
		expect(cancelReasonMessage({ status: 'cancelled', cancelReason: 'autre', outageReason: null })).toBeNull();
	});
});
