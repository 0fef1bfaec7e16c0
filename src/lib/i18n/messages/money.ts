import { defineMessages } from '../define';

// The money module: catalogue, counter sales, till journal.
export default defineMessages(
	{
		'money.unknown_product': 'Produit inconnu ou retiré de la vente.',
		'money.no_price': 'Ce produit n’a pas de prix.',
		'money.no_vat_rate': 'Aucun taux de TVA ne s’applique à ce produit dans ce contexte.',
		'money.total_too_large': 'Le total de la vente est trop élevé.',
		'money.payments_mismatch': 'Les paiements ne correspondent pas au total de la vente.',
		'money.not_a_sale': 'Seule une vente peut être annulée.',
		'money.already_corrected': 'Cette vente a déjà été annulée.',
		'money.training_mark': 'FACTICE',
		'money.day_not_over': 'On ne peut pas clôturer une journée à venir.',
		'money.day_closed': 'Cette journée (ou une journée plus récente) est déjà clôturée.',
		'money.activity.cafe': 'Café-cantine',
		'money.activity.machines': 'Machines',
		'money.activity.events': 'Ateliers et événements',
		'money.activity.residents': 'Résidents',
		'money.activity.memberships': 'Adhésions',
		'money.activity.shares': 'Parts sociales',
		'money.activity.other': 'Autre'
	},
	{
		'money.unknown_product': 'Unknown product, or no longer on sale.',
		'money.no_price': 'This product has no price.',
		'money.no_vat_rate': 'No VAT rate applies to this product in this context.',
		'money.total_too_large': 'The total of the sale is too large.',
		'money.payments_mismatch': 'The payments do not match the total of the sale.',
		'money.not_a_sale': 'Only a sale can be cancelled.',
		'money.already_corrected': 'This sale has already been cancelled.',
		'money.training_mark': 'TRAINING (FACTICE)',
		'money.day_not_over': 'A day still to come cannot be closed.',
		'money.day_closed': 'This day (or a later one) is already closed.',
		'money.activity.cafe': 'Café-canteen',
		'money.activity.machines': 'Machines',
		'money.activity.events': 'Workshops and events',
		'money.activity.residents': 'Residents',
		'money.activity.memberships': 'Memberships',
		'money.activity.shares': 'Cooperative shares',
		'money.activity.other': 'Other'
	}
);
