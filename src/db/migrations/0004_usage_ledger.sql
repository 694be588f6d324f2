CREATE INDEX "calls_usage_idx" ON "calls" USING btree ("organization_id","usage_counted_at");--> statement-breakpoint
ALTER TABLE "organizations" DROP COLUMN "cycle_used_seconds";