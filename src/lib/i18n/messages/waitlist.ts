import { defineMessages } from '../define';

export default defineMessages(
	{
		'waitlist.slot_free': 'Ce créneau est libre : réservez-le directement.',
		'waitlist.end_before_start': 'La fin doit venir après le début.',
		'waitlist.in_past': 'Ce créneau est déjà passé.',
		'waitlist.held': 'Ce créneau vient d’être proposé à une personne en liste d’attente : il lui est réservé quelques heures.',
		'waitlist.join': 'M’inscrire sur la liste d’attente',
		'waitlist.joined': 'Vous êtes sur la liste d’attente : nous vous écrirons si le créneau se libère.',
		'waitlist.leave': 'Quitter la liste d’attente',
		'waitlist.mine': 'Mes listes d’attente',
		'waitlist.status.waiting': 'En attente',
		'waitlist.status.offered': 'Proposé jusqu’au {until}',
		'mail.waitlist_offer.subject': 'Un créneau s’est libéré : {resource}',
		'mail.waitlist_offer.body': 'Le créneau du {when} sur « {resource} » que vous attendiez s’est libéré. Il vous est réservé jusqu’au {until} : réservez-le avant, sinon il sera proposé à la personne suivante.',
		'mail.waitlist_offer.action': 'Réserver ce créneau'
	},
	{
		'waitlist.slot_free': 'This slot is free: book it directly.',
		'waitlist.end_before_start': 'The end must come after the start.',
		'waitlist.in_past': 'This slot is already past.',
		'waitlist.held': 'This slot was just offered to someone on the waiting list: it is held for them for a few hours.',
		'waitlist.join': 'Join the waiting list',
		'waitlist.joined': 'You are on the waiting list: we will write to you if the slot frees up.',
		'waitlist.leave': 'Leave the waiting list',
		'waitlist.mine': 'My waiting lists',
		'waitlist.status.waiting': 'Waiting',
		'waitlist.status.offered': 'Offered until {until}',
		'mail.waitlist_offer.subject': 'A slot is free: {resource}',
		'mail.waitlist_offer.body': 'The slot on {when} on “{resource}” you were waiting for is free. It is held for you until {until}: book it before then, or it goes to the next person.',
		'mail.waitlist_offer.action': 'Book this slot'
	}
);
