-- Machine space guards (decision 013). Self-contained: relies only on btree_gist (created before migrations)
-- and lieu_refuse_change() (0001).

-- why: no double booking, ever. A live booking's occupancy rows (booking_slot: the booked resource, plus the
-- machines of a booked room) may never overlap on one resource. Adjacent ranges ([10:00, 11:00) and
-- [11:00, 12:00)) are accepted. The booking command takes a per-resource lock first (advisory lock), so racing
-- writers queue instead of deadlocking; this constraint is the last line of defence (23P01).
ALTER TABLE "booking_slot" ADD CONSTRAINT "booking_slot_no_overlap"
  EXCLUDE USING gist ("place_id" WITH =, "resource_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&);
--> statement-breakpoint

-- why: a booking's status only moves forward (pending -> confirmed -> cancelled, or pending -> cancelled), and
-- what was booked (resource, time, person, price) is fixed once written; a move is a new booking replacing it.
CREATE OR REPLACE FUNCTION lieu_booking_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id <> OLD.id OR NEW.place_id <> OLD.place_id OR NEW.resource_id <> OLD.resource_id OR NEW.kind <> OLD.kind
     OR NEW.starts_at <> OLD.starts_at OR NEW.ends_at <> OLD.ends_at OR NEW.created_at <> OLD.created_at
     OR (NEW.user_id IS DISTINCT FROM OLD.user_id AND NEW.user_id IS NOT NULL) THEN
    RAISE EXCEPTION 'booking %: what was booked is immutable (cancel and book again)', OLD.id USING ERRCODE = 'raise_exception';
  END IF;
  IF OLD.status = 'cancelled' AND (NEW.status <> 'cancelled' OR NEW.cancelled_at IS DISTINCT FROM OLD.cancelled_at) THEN
    RAISE EXCEPTION 'booking %: a cancelled booking is final', OLD.id USING ERRCODE = 'raise_exception';
  END IF;
  IF OLD.status = 'confirmed' AND NEW.status = 'pending' THEN
    RAISE EXCEPTION 'booking %: a confirmed booking cannot go back to pending', OLD.id USING ERRCODE = 'raise_exception';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER booking_guard BEFORE UPDATE ON "booking" FOR EACH ROW EXECUTE FUNCTION lieu_booking_guard();
--> statement-breakpoint

-- why: the occupancy of a cancelled booking must be gone, and a slot always matches its booking's place and time.
CREATE OR REPLACE FUNCTION lieu_booking_slot_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE b record;
BEGIN
  SELECT place_id, status, starts_at, ends_at INTO b FROM booking WHERE id = NEW.booking_id;
  IF b.status = 'cancelled' THEN
    RAISE EXCEPTION 'booking_slot: booking % is cancelled', NEW.booking_id USING ERRCODE = 'raise_exception';
  END IF;
  IF b.place_id <> NEW.place_id OR b.starts_at <> NEW.starts_at OR b.ends_at <> NEW.ends_at THEN
    RAISE EXCEPTION 'booking_slot: does not match booking %', NEW.booking_id USING ERRCODE = 'raise_exception';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER booking_slot_guard BEFORE INSERT OR UPDATE ON "booking_slot" FOR EACH ROW EXECUTE FUNCTION lieu_booking_slot_guard();
--> statement-breakpoint

-- why: a booking that becomes cancelled frees what it occupied, in the same statement, whoever cancels it.
CREATE OR REPLACE FUNCTION lieu_booking_free_slots() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'cancelled' AND OLD.status <> 'cancelled' THEN
    DELETE FROM booking_slot WHERE booking_id = NEW.id;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER booking_free_slots AFTER UPDATE OF status ON "booking" FOR EACH ROW EXECUTE FUNCTION lieu_booking_free_slots();
--> statement-breakpoint

-- why: the maintenance log is a record: append-only. The only change allowed is a reference becoming NULL
-- (the author's account erased, the booking gone: FKs ON DELETE SET NULL).
CREATE OR REPLACE FUNCTION lieu_maintenance_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND ROW(NEW.id, NEW.place_id, NEW.resource_id, NEW.kind, NEW.body, NEW.created_at) IS NOT DISTINCT FROM ROW(OLD.id, OLD.place_id, OLD.resource_id, OLD.kind, OLD.body, OLD.created_at)
     AND (NEW.created_by IS NOT DISTINCT FROM OLD.created_by OR NEW.created_by IS NULL)
     AND (NEW.booking_id IS NOT DISTINCT FROM OLD.booking_id OR NEW.booking_id IS NULL) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'table maintenance_log is append-only' USING ERRCODE = 'raise_exception';
END $$;
--> statement-breakpoint
CREATE TRIGGER maintenance_log_append_only BEFORE UPDATE OR DELETE ON "maintenance_log"
  FOR EACH ROW EXECUTE FUNCTION lieu_maintenance_log_guard();
