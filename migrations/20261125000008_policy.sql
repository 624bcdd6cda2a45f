-- Policy as code. The draft is the working set of grants and custom Rego modules; publishing
-- snapshots it into an immutable, numbered version, compiled and signed into the bundle the fleet
-- loads. With approval required, a second person must approve a proposed version first.

CREATE TABLE policy_grants (
    id          text PRIMARY KEY,
    -- The grant as structured data (effect, subject, actions, patterns, limits, window, obligations).
    grant_json  jsonb NOT NULL,
    updated_by  text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE policy_modules (
    path        text PRIMARY KEY,
    rego        text NOT NULL,
    updated_by  text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE policy_versions (
    version       bigint PRIMARY KEY,
    status        text NOT NULL CHECK (status IN ('pending', 'published', 'rejected')),
    -- The snapshot: grants and custom modules as written, and what they compiled to.
    grants        jsonb NOT NULL,
    modules       jsonb NOT NULL,
    compiled      jsonb NOT NULL,
    note          text NOT NULL DEFAULT '',
    proposed_by   text NOT NULL,
    proposed_at   timestamptz NOT NULL DEFAULT now(),
    decided_by    text,
    decided_at    timestamptz,
    -- The signed bundle as delivered to the fleet, once published.
    signed_bundle jsonb,
    published_at  timestamptz,
    CHECK (status <> 'published' OR (signed_bundle IS NOT NULL AND published_at IS NOT NULL))
);
CREATE UNIQUE INDEX policy_versions_one_pending ON policy_versions ((true)) WHERE status = 'pending';

-- Ed25519 keys that sign bundles; private keys sealed under the key-encryption key.
CREATE TABLE policy_signing_keys (
    key_id        text PRIMARY KEY,
    public_key    bytea NOT NULL,
    encrypted_key bytea NOT NULL,
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX policy_signing_keys_one_active ON policy_signing_keys ((true)) WHERE active;

-- Settings that change how policy is governed.
CREATE TABLE policy_settings (
    id                bool PRIMARY KEY DEFAULT true CHECK (id),
    require_approval  boolean NOT NULL DEFAULT false,
    updated_by        text,
    updated_at        timestamptz NOT NULL DEFAULT now()
);
INSERT INTO policy_settings DEFAULT VALUES;

-- The least-privilege review of every agent after each publish.
CREATE TABLE policy_reviews (
    version     bigint NOT NULL REFERENCES policy_versions (version),
    agent_id    uuid NOT NULL REFERENCES agents (id),
    report      jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agent_id, version)
);

-- Which policy bundle each enforcer has loaded, from its heartbeats.
ALTER TABLE enforcers ADD COLUMN policy_version bigint;
