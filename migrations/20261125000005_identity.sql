-- The agent CA: a root and an intermediate per trust domain. Private keys are stored only
-- encrypted under the key-encryption key from configuration (AES-256-GCM).
CREATE TABLE ca_certificates (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    trust_domain     text NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('root', 'intermediate')),
    parent_id        uuid REFERENCES ca_certificates (id),
    certificate_pem  text NOT NULL,
    encrypted_key    bytea NOT NULL,
    not_before       timestamptz NOT NULL,
    not_after        timestamptz NOT NULL,
    active           boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ca_certificates_one_active ON ca_certificates (trust_domain, kind) WHERE active;

-- How long each agent's certificates live: 24 h by default, never more than 72 h.
ALTER TABLE agents ADD COLUMN svid_lifetime_hours integer NOT NULL DEFAULT 24
    CHECK (svid_lifetime_hours BETWEEN 1 AND 72);

-- Single-use, short-lived tokens that let an agent obtain its first certificate.
CREATE TABLE join_tokens (
    token_hash  bytea PRIMARY KEY,
    agent_id    uuid NOT NULL REFERENCES agents (id),
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX join_tokens_agent ON join_tokens (agent_id);

-- Every X.509-SVID issued, for credential state and revocation.
CREATE TABLE svids (
    serial           text PRIMARY KEY,
    agent_id         uuid NOT NULL REFERENCES agents (id),
    spiffe_id        text NOT NULL,
    issuer_id        uuid NOT NULL REFERENCES ca_certificates (id),
    certificate_pem  text NOT NULL,
    not_before       timestamptz NOT NULL,
    not_after        timestamptz NOT NULL,
    issued_via       text NOT NULL CHECK (issued_via IN ('enrollment', 'renewal')),
    issued_at        timestamptz NOT NULL DEFAULT now(),
    revoked_at       timestamptz
);
CREATE INDEX svids_agent ON svids (agent_id, not_after DESC);
