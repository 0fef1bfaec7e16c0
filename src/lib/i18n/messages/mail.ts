import { defineMessages } from '../define';

export default defineMessages(
	{
		'mail.greeting': 'Bonjour {name},',
		'mail.greeting_anonymous': 'Bonjour,',
		'mail.signature': 'À bientôt,\n{place}',
		'mail.footer': 'Vous recevez ce message parce qu’une action a été faite avec cette adresse sur Lieu. Si ce n’était pas vous, ignorez-le.',
		'mail.magic_link.subject': 'Votre lien de connexion',
		'mail.magic_link.body': 'Voici votre lien pour vous connecter. Il est valable 15 minutes et ne sert qu’une fois :',
		'mail.magic_link.action': 'Me connecter',
		'mail.verify.subject': 'Confirmez votre adresse e-mail',
		'mail.verify.body': 'Pour confirmer votre adresse e-mail, ouvrez ce lien :',
		'mail.verify.action': 'Confirmer mon adresse',
		'mail.reset.subject': 'Réinitialiser votre mot de passe',
		'mail.reset.body': 'Vous avez demandé à changer de mot de passe. Ce lien est valable une heure :',
		'mail.reset.action': 'Choisir un nouveau mot de passe',
		'mail.invite.subject': 'Invitation à rejoindre {place}',
		'mail.invite.body': '{inviter} vous invite à rejoindre {place} sur Lieu, avec le rôle « {role} ». Ce lien est valable 14 jours :',
		'mail.invite.action': 'Accepter l’invitation',
		'mail.deleted.subject': 'Votre compte a été supprimé',
		'mail.deleted.body': 'Votre compte et vos données personnelles ont été effacés. Les pièces comptables exigées par la loi sont conservées sous forme pseudonymisée.'
	},
	{
		'mail.greeting': 'Hello {name},',
		'mail.greeting_anonymous': 'Hello,',
		'mail.signature': 'See you soon,\n{place}',
		'mail.footer': 'You receive this message because something was done with this address on Lieu. If it was not you, ignore it.',
		'mail.magic_link.subject': 'Your sign-in link',
		'mail.magic_link.body': 'Here is your link to sign in. It is valid for 15 minutes and works once:',
		'mail.magic_link.action': 'Sign me in',
		'mail.verify.subject': 'Confirm your email address',
		'mail.verify.body': 'To confirm your email address, open this link:',
		'mail.verify.action': 'Confirm my address',
		'mail.reset.subject': 'Reset your password',
		'mail.reset.body': 'You asked to change your password. This link is valid for one hour:',
		'mail.reset.action': 'Choose a new password',
		'mail.invite.subject': 'Invitation to join {place}',
		'mail.invite.body': '{inviter} invites you to join {place} on Lieu, with the role “{role}”. This link is valid for 14 days:',
		'mail.invite.action': 'Accept the invitation',
		'mail.deleted.subject': 'Your account has been deleted',
		'mail.deleted.body': 'Your account and your personal data have been erased. Accounting records required by law are kept in pseudonymised form.'
	}
);
