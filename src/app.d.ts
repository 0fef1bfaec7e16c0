import type { Locale } from '$lib/i18n';

declare global {
	namespace App {
		interface Locals {
			user: {
				id: string;
				name: string;
				email: string;
				emailVerified: boolean;
				locale: string;
				isOperator: boolean;
			} | null;
			sessionId: string | null;
			locale: Locale;
		}
		interface Error {
			message: string;
			code?: string;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
