-- hand-written: begin
-- A call's transcript, messages and search vector and a webhook event's payload are several KB
-- each, so every report's row is compressed into TOAST. lz4 compresses those ~3-5x faster than
-- the default pglz at about the same size (ingestion's time goes to the store statement). It
-- applies to values written from now on. A build without lz4 (PGlite's WASM) keeps pglz.
DO $$
BEGIN
  ALTER TABLE "calls" ALTER COLUMN "transcript" SET COMPRESSION lz4, ALTER COLUMN "summary" SET COMPRESSION lz4,
    ALTER COLUMN "messages" SET COMPRESSION lz4, ALTER COLUMN "outcome" SET COMPRESSION lz4,
    ALTER COLUMN "search_vector" SET COMPRESSION lz4;
  ALTER TABLE "webhook_events" ALTER COLUMN "payload" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available in this build: TOAST stays pglz';
END
$$;
-- hand-written: end
