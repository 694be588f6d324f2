ALTER TABLE "subscriptions" ADD COLUMN "past_due_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "checkout_session_id" text;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "payment_failure_notified" text;--> statement-breakpoint
-- hand-written: a subscription already past_due starts its grace from its last sync.
UPDATE "subscriptions" SET "past_due_since" = "updated_at" WHERE "status" = 'past_due';
