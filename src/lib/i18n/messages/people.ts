import { defineMessages } from '../define';

// People: profile, GDPR, API tokens, admin people/roles/audit/outbox pages.
export default defineMessages(
	{
		'people.placeholder': 'Personnes'
	},
	{
		'people.placeholder': 'People'
	}
);
