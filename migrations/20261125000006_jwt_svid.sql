-- Ed25519 keys that sign JWT-SVIDs, one active per trust domain; the private half sealed like
-- the CA keys. Retired keys stay in the JWKS until every token they signed has expired.
CREATE TABLE jwt_signing_keys (
    kid            text PRIMARY KEY,
    trust_domain   text NOT NULL,
    public_key     bytea NOT NULL,
    encrypted_key  bytea NOT NULL,
    active         boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX jwt_signing_keys_one_active ON jwt_signing_keys (trust_domain) WHERE active;
