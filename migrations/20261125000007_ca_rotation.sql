-- CA rotation as an operator action. A replaced CA certificate leaves the signing role at once
-- but stays in the trust bundle until `trusted_until`, by default long enough for every
-- certificate it issued to expire (SVIDs live at most 72 h), so agents keep working; after a
-- suspected compromise the operator distrusts it immediately instead.
ALTER TABLE ca_certificates
    ADD COLUMN retired_at    timestamptz,
    ADD COLUMN trusted_until timestamptz;

-- Intermediates replaced before this migration stay trusted as before, until they expire.
UPDATE ca_certificates SET retired_at = created_at WHERE NOT active;

-- After a root rotation the new intermediate is also certified by the previous root for the
-- grace period; servers append that link to their chains, so agents that hold only the
-- previous root in their bundle still verify them until they renew and get the new bundle.
ALTER TABLE ca_certificates
    ADD COLUMN cross_signed_pem   text,
    ADD COLUMN cross_signed_until timestamptz;
