-- People who use the console and API. Passwords are argon2id PHC strings, never plaintext.
CREATE TABLE users (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    username       text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._@-]{1,64}$'),
    display_name   text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    role           text NOT NULL CHECK (role IN ('admin', 'security_engineer', 'auditor', 'viewer')),
    password_hash  text NOT NULL,
    disabled       boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    last_login_at  timestamptz
);

-- Server-side sessions. Only a SHA-256 of the token is stored, so a database read does not
-- hand out live sessions.
CREATE TABLE sessions (
    token_hash    bytea PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    client_ip     text,
    user_agent    text
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- Every sign-in attempt, for throttling and for the audit trail.
CREATE TABLE login_attempts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text NOT NULL,
    client_ip     text NOT NULL,
    succeeded     boolean NOT NULL,
    attempted_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_username ON login_attempts (username, attempted_at);
CREATE INDEX login_attempts_client_ip ON login_attempts (client_ip, attempted_at);
