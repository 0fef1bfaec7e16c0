import { defineMessages } from '../define';

// The JSON API (/api/v1): error messages of the HTTP-only error codes, and input problems only an API meets.
export default defineMessages(
	{
		'error.method_not_allowed': 'Cette méthode n’est pas acceptée à cette adresse.',
		'error.payload_too_large': 'La requête est trop volumineuse.',
		'error.unsupported_media_type': 'Envoyez le corps de la requête en JSON (Content-Type: application/json).',
		'field.json': 'JSON mal formé.',
		'field.json_object': 'Un objet JSON est attendu.',
		'field.unknown': 'Nom inconnu : retirez-le.',
		'api.token_invalid': 'Jeton d’accès inconnu, révoqué ou mal formé.'
	},
	{
		'error.method_not_allowed': 'This method is not allowed at this address.',
		'error.payload_too_large': 'The request is too large.',
		'error.unsupported_media_type': 'Send the request body as JSON (Content-Type: application/json).',
		'field.json': 'Malformed JSON.',
		'field.json_object': 'A JSON object is expected.',
		'field.unknown': 'Unknown name: remove it.',
		'api.token_invalid': 'Unknown, revoked or malformed access token.'
	}
);
