-- Enforcers that have announced themselves over NATS. Kept after they stop so the console can
-- show a stale enforcer instead of silently forgetting it.
CREATE TABLE enforcers (
    id                       uuid PRIMARY KEY,
    version                  text NOT NULL,
    hostname                 text NOT NULL,
    started_at               timestamptz NOT NULL,
    last_seen_at             timestamptz NOT NULL,
    heartbeat_interval_secs  integer NOT NULL CHECK (heartbeat_interval_secs > 0),
    first_seen_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enforcers_last_seen_at ON enforcers (last_seen_at DESC);
