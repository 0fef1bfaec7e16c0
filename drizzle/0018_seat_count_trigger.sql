-- Seats of a training session as a database invariant (trainings, issue #4). Self-contained.
--
-- why: training_session.registered_count used to be kept by the registration commands (+1 / -1 by hand), so
-- any other writer (a script, a new command, a fix by hand in SQL) could make it drift from the rows. It is now
-- kept by a trigger on training_registration: it always equals the number of live registrations (status other
-- than 'cancelled': registered, attended, absent) of the session, and the existing CHECK
-- training_session_capacity_ck (registered_count BETWEEN 0 AND capacity) refuses a registration past capacity.
-- Under concurrency the trigger's UPDATE takes the session row's lock and adds to the latest committed count
-- (READ COMMITTED re-reads the row), so 30 racing registrations for 5 seats give exactly 5, whoever writes them.

-- 1. Recount what exists (the commands kept it right; this makes it true by construction).
UPDATE "training_session" s SET "registered_count" = (
  SELECT count(*) FROM "training_registration" r WHERE r."session_id" = s."id" AND r."status" <> 'cancelled'
);
--> statement-breakpoint

-- 2. The count follows the rows: insert, status change to or from 'cancelled', move to another session, delete.
CREATE OR REPLACE FUNCTION lieu_training_seat_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_live boolean := TG_OP <> 'INSERT' AND OLD."status" <> 'cancelled';
  new_live boolean := TG_OP <> 'DELETE' AND NEW."status" <> 'cancelled';
BEGIN
  IF old_live AND NOT (new_live AND NEW."session_id" = OLD."session_id") THEN
    UPDATE "training_session" SET "registered_count" = "registered_count" - 1 WHERE "id" = OLD."session_id";
  END IF;
  IF new_live AND NOT (old_live AND NEW."session_id" = OLD."session_id") THEN
    UPDATE "training_session" SET "registered_count" = "registered_count" + 1 WHERE "id" = NEW."session_id";
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER training_registration_seat_count AFTER INSERT OR DELETE OR UPDATE OF "status", "session_id" ON "training_registration"
  FOR EACH ROW EXECUTE FUNCTION lieu_training_seat_count();
--> statement-breakpoint

-- 3. Nobody else writes the count: a new session starts at 0 and only the trigger above (nested, depth 2)
-- changes it. A backup restore runs with session_replication_role = replica (triggers off) and brings the
-- counts with the rows.
CREATE OR REPLACE FUNCTION lieu_training_seat_count_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW."registered_count" <> 0 THEN
    RAISE EXCEPTION 'training_session %: registered_count is kept by the registrations (a new session starts at 0)', NEW."id" USING ERRCODE = 'raise_exception';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW."registered_count" IS DISTINCT FROM OLD."registered_count" AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'training_session %: registered_count is kept by the registrations, not written directly', OLD."id" USING ERRCODE = 'raise_exception';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER training_session_seat_count_guard BEFORE INSERT OR UPDATE OF "registered_count" ON "training_session"
  FOR EACH ROW EXECUTE FUNCTION lieu_training_seat_count_guard();
