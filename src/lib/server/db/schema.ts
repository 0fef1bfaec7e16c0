// The full database schema: each module owns its tables; this file gathers them for drizzle.
export * from '../../modules/people/schema';
export * from '../../modules/places/schema';
export * from '../../modules/booking/schema';
export * from '../../modules/territory/schema';
export * from '../../modules/events/schema';
export * from '../../modules/residents/schema';
export * from '../../modules/money/schema';
export * from '../../modules/money/till-schema';
export * from '../../modules/money/checkout-schema';
export * from '../../modules/money/invoice-schema';
export * from '../../modules/money/accounting-schema';
export * from '../../modules/trainings/schema';
