-- A place's opening hours are its opening rules (opening_rule with resource_id NULL, set on /admin/horaires).
-- Hours typed in the old free-text field become rules first, for places that have no place-level rule yet
-- (day keys mon…sun -> ISO weekday 1…7, "HH:MM" -> minutes; "24:00" = midnight; bad ranges are skipped).
INSERT INTO "opening_rule" ("id", "place_id", "resource_id", "weekday", "opens_min", "closes_min")
SELECT md5(random()::text || clock_timestamp()::text || p.id || d.key || r.value::text), p.id, NULL,
	array_position(ARRAY['mon','tue','wed','thu','fri','sat','sun'], d.key),
	split_part(r.value->>'from', ':', 1)::int * 60 + split_part(r.value->>'from', ':', 2)::int,
	split_part(r.value->>'to', ':', 1)::int * 60 + split_part(r.value->>'to', ':', 2)::int
FROM "place" p, jsonb_each(p."opening_hours") d, jsonb_array_elements(d.value) r
WHERE jsonb_typeof(p."opening_hours") = 'object' AND jsonb_typeof(d.value) = 'array'
	AND d.key IN ('mon','tue','wed','thu','fri','sat','sun')
	AND r.value->>'from' ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' AND r.value->>'to' ~ '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$'
	AND r.value->>'to' > r.value->>'from'
	AND NOT EXISTS (SELECT 1 FROM "opening_rule" o WHERE o."place_id" = p.id AND o."resource_id" IS NULL);
--> statement-breakpoint
ALTER TABLE "place" DROP COLUMN "opening_hours";
