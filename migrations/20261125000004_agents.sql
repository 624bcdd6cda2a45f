-- The agent registry. Retired agents stay for the audit trail; names are never reused.
CREATE TABLE agents (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name          text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    owner_team    text NOT NULL,
    purpose       text NOT NULL,
    capabilities  jsonb NOT NULL DEFAULT '{}'::jsonb,
    environment   text NOT NULL,
    labels        jsonb NOT NULL DEFAULT '{}'::jsonb,
    status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    retired_at    timestamptz
);
CREATE INDEX agents_environment ON agents (environment);
CREATE INDEX agents_labels ON agents USING gin (labels);
