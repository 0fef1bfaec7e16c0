-- Checkout and wallet guards (decision 009). Self-contained: relies only on lieu_refuse_change() (0001).

-- why: an order moves once from 'pending' to a final state (paid, failed, expired, cancelled) and never back;
-- a paid order is fiscal evidence (it points to its receipt). Concurrent webhook deliveries update with
-- "WHERE status = 'pending'", and this trigger is the last line of defence if some code forgets it.
-- The only change allowed on a final order is its buyer becoming NULL (account erased, FK ON DELETE SET NULL).
CREATE OR REPLACE FUNCTION lieu_checkout_order_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status = 'paid' THEN
      RAISE EXCEPTION 'checkout_order %: a paid order cannot be deleted', OLD.id USING ERRCODE = 'raise_exception';
    END IF;
    RETURN OLD;
  END IF;
  IF NEW.id <> OLD.id OR NEW.place_id <> OLD.place_id OR NEW.total_cents <> OLD.total_cents OR NEW.currency <> OLD.currency OR NEW.created_at <> OLD.created_at THEN
    RAISE EXCEPTION 'checkout_order %: identity and total are immutable', OLD.id USING ERRCODE = 'raise_exception';
  END IF;
  IF OLD.status <> 'pending' THEN
    IF NEW.buyer_id IS NULL AND OLD.buyer_id IS NOT NULL
       AND ROW(NEW.status, NEW.paid_at, NEW.receipt_id, NEW.provider, NEW.provider_ref, NEW.payment_method, NEW.end_reason, NEW.expires_at)
           IS NOT DISTINCT FROM ROW(OLD.status, OLD.paid_at, OLD.receipt_id, OLD.provider, OLD.provider_ref, OLD.payment_method, OLD.end_reason, OLD.expires_at) THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'checkout_order %: a % order is final', OLD.id, OLD.status USING ERRCODE = 'raise_exception';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER checkout_order_guard BEFORE UPDATE OR DELETE ON "checkout_order"
  FOR EACH ROW EXECUTE FUNCTION lieu_checkout_order_guard();
--> statement-breakpoint
-- why: an order's lines are what was sold at that price; they are never edited (a new order is made instead).
CREATE TRIGGER checkout_order_line_no_update BEFORE UPDATE ON "checkout_order_line"
  FOR EACH ROW EXECUTE FUNCTION lieu_refuse_change();
--> statement-breakpoint
-- why: the processed provider events are the proof that a webhook was acted upon exactly once.
CREATE TRIGGER payment_event_append_only BEFORE UPDATE OR DELETE ON "payment_event"
  FOR EACH ROW EXECUTE FUNCTION lieu_refuse_change();
--> statement-breakpoint
-- why: the wallet ledger is money owed to people; movements are only ever added (corrections are new entries).
CREATE TRIGGER wallet_entry_append_only BEFORE UPDATE OR DELETE ON "wallet_entry"
  FOR EACH ROW EXECUTE FUNCTION lieu_refuse_change();
--> statement-breakpoint
CREATE TRIGGER wallet_entry_no_truncate BEFORE TRUNCATE ON "wallet_entry"
  FOR EACH STATEMENT EXECUTE FUNCTION lieu_refuse_change();
--> statement-breakpoint
-- why: the balance of a wallet is the sum of its entries, maintained here in the inserting transaction. The
-- update takes the wallet row's lock (concurrent spends serialise) and wallet_balance_ck (balance >= 0)
-- makes an overdraft impossible even for code that did not lock first.
CREATE OR REPLACE FUNCTION lieu_wallet_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "wallet" SET "balance" = "balance" + NEW.amount
    WHERE "place_id" = NEW.place_id AND "user_id" = NEW.user_id AND "unit" = NEW.unit;
  IF NOT FOUND THEN
    INSERT INTO "wallet" ("place_id", "user_id", "unit", "balance") VALUES (NEW.place_id, NEW.user_id, NEW.unit, NEW.amount);
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER wallet_entry_apply AFTER INSERT ON "wallet_entry"
  FOR EACH ROW EXECUTE FUNCTION lieu_wallet_apply();
--> statement-breakpoint
-- why: the balance only moves through wallet_entry (the trigger above, nesting depth 2); a direct UPDATE or
-- DELETE of a wallet row would make it disagree with its ledger.
CREATE OR REPLACE FUNCTION lieu_wallet_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'wallet balances change only through wallet_entry' USING ERRCODE = 'raise_exception';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER wallet_guard BEFORE UPDATE OR DELETE ON "wallet"
  FOR EACH ROW EXECUTE FUNCTION lieu_wallet_guard();
