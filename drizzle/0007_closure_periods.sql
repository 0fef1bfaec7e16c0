ALTER TABLE "closure" DROP CONSTRAINT "closure_kind_ck";--> statement-breakpoint
DROP INDEX "closure_period_uq";--> statement-breakpoint
CREATE INDEX "closure_place_kind_end_idx" ON "closure" USING btree ("place_id","kind","period_end");--> statement-breakpoint
CREATE UNIQUE INDEX "closure_period_uq" ON "closure" USING btree ("place_id","kind","period_start") WHERE "closure"."kind" <> 'day';--> statement-breakpoint
ALTER TABLE "closure" ADD CONSTRAINT "closure_period_ck" CHECK ("closure"."period_end" >= "closure"."period_start");--> statement-breakpoint
ALTER TABLE "closure" ADD CONSTRAINT "closure_calendar_ck" CHECK ("closure"."kind" = 'day' OR ("closure"."kind" = 'month' AND extract(day FROM "closure"."period_start") = 1 AND "closure"."period_end" = ("closure"."period_start" + interval '1 month' - interval '1 day')::date) OR ("closure"."kind" = 'year' AND to_char("closure"."period_start", 'MM-DD') = '01-01' AND "closure"."period_end" = ("closure"."period_start" + interval '1 year' - interval '1 day')::date));--> statement-breakpoint
ALTER TABLE "closure" ADD CONSTRAINT "closure_kind_ck" CHECK ("closure"."kind" IN ('day', 'month', 'year'));