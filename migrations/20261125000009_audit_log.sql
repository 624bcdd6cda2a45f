-- The tamper-evident audit log (RFC 6962/9162 style). Every audit event becomes one leaf of an
-- append-only Merkle tree; signed checkpoints commit to the tree's size and root.
--
-- Writers never assign leaf numbers themselves. A change and its audit record are written in one
-- transaction into `audit_inbox`; the sequencer (and the decision-event consumer) move events
-- into `audit_log` under the row lock of `audit_log_head`, so leaf numbers are gap-free and every
-- committed prefix of the log is complete.

CREATE TABLE audit_inbox (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id     uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    occurred_at  timestamptz NOT NULL DEFAULT now(),
    actor        text NOT NULL,
    action       text NOT NULL,
    subject      text NOT NULL,
    details      jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE TABLE audit_log (
    -- The leaf index.
    seq          bigint PRIMARY KEY CHECK (seq >= 0),
    -- Drops duplicates: a redelivered decision event is stored once.
    event_id     uuid NOT NULL UNIQUE,
    occurred_at  timestamptz NOT NULL,
    actor        text NOT NULL,
    action       text NOT NULL,
    subject      text NOT NULL,
    -- The exact bytes hashed into the leaf (canonical JSON, including `seq`).
    entry        bytea NOT NULL,
    -- SHA-256(0x00 || entry), kept so the tree is rebuilt without rehashing every entry.
    leaf_hash    bytea NOT NULL CHECK (length(leaf_hash) = 32)
);
-- Searches go to the index (tantivy), so the log carries no secondary indexes beyond the id
-- that drops duplicates: every append stays cheap.

-- The log's size; its row lock serialises appends.
CREATE TABLE audit_log_head (
    id    boolean PRIMARY KEY DEFAULT true CHECK (id),
    size  bigint NOT NULL CHECK (size >= 0)
);
INSERT INTO audit_log_head (size) VALUES (0);

-- Signed tree heads, in the C2SP tlog-checkpoint signed-note format.
CREATE TABLE audit_checkpoints (
    size        bigint PRIMARY KEY CHECK (size > 0),
    root_hash   bytea NOT NULL CHECK (length(root_hash) = 32),
    note        text NOT NULL,
    signed_at   timestamptz NOT NULL DEFAULT now(),
    -- RFC 3161 time-stamp token over SHA-256 of the checkpoint body, when a TSA is configured.
    tsa_token   bytea
);

-- The Ed25519 key that signs checkpoints, sealed under the key-encryption key.
CREATE TABLE audit_signing_keys (
    key_name      text PRIMARY KEY,
    -- `<name>+<key id>+<base64 key>`, the signed-note verifier key auditors pin.
    verifier_key  text NOT NULL,
    encrypted_key bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION audit_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% rejected)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_checkpoints_append_only
    BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_checkpoints_no_truncate
    BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();

-- The head may only grow.
CREATE FUNCTION audit_head_grows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' OR NEW.size < OLD.size THEN
        RAISE EXCEPTION 'audit_log_head only grows (% rejected)', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_head_grows
    BEFORE UPDATE OR DELETE ON audit_log_head
    FOR EACH ROW EXECUTE FUNCTION audit_head_grows();
CREATE TRIGGER audit_log_head_no_truncate
    BEFORE TRUNCATE ON audit_log_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();

-- Wakes the sequencer as soon as a change with its audit record commits.
CREATE FUNCTION audit_inbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('warden_audit_inbox', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER audit_inbox_notify
    AFTER INSERT ON audit_inbox
    FOR EACH STATEMENT EXECUTE FUNCTION audit_inbox_notify();

-- Events recorded before the Merkle log existed enter it first, in the order they happened.
INSERT INTO audit_inbox (event_id, occurred_at, actor, action, subject, details)
SELECT event_id, occurred_at, actor, action, subject, details FROM audit_events ORDER BY id;
DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();

