-- why: a cash drawer session is the record of what was counted in the drawer; once closed it is evidence and
-- must never change, and what it was opened with (place, till, time, person, float) never changes either.
-- The only change the database accepts is closing an open session, once. Rows are never deleted.
CREATE OR REPLACE FUNCTION lieu_cash_session_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.closed_at IS NOT NULL THEN
    RAISE EXCEPTION 'cash_session %: a closed session cannot change', OLD.id USING ERRCODE = 'raise_exception';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.place_id IS DISTINCT FROM OLD.place_id OR NEW.till IS DISTINCT FROM OLD.till
     OR NEW.opened_at IS DISTINCT FROM OLD.opened_at OR NEW.opened_by IS DISTINCT FROM OLD.opened_by
     OR NEW.opening_float_cents IS DISTINCT FROM OLD.opening_float_cents THEN
    RAISE EXCEPTION 'cash_session %: the opening of a session cannot change', OLD.id USING ERRCODE = 'raise_exception';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER cash_session_guard BEFORE UPDATE ON "cash_session"
  FOR EACH ROW EXECUTE FUNCTION lieu_cash_session_guard();
--> statement-breakpoint
-- why: sessions are never removed (lieu_refuse_change comes from drizzle/0001).
CREATE TRIGGER cash_session_no_delete BEFORE DELETE ON "cash_session"
  FOR EACH ROW EXECUTE FUNCTION lieu_refuse_change();
--> statement-breakpoint
CREATE TRIGGER cash_session_no_truncate BEFORE TRUNCATE ON "cash_session"
  FOR EACH STATEMENT EXECUTE FUNCTION lieu_refuse_change();
