-- The gateway CA, once per store (issue 17): every instance sharing the store issues its own server certificate
-- from it, so one client package (VpnServerRoot.cer, OpenVPN <ca>) trusts every instance. The private key is a
-- secret like gateway_secrets' static key: the store is as sensitive as the data directory it replaces.
CREATE TABLE gateway_ca (
    id              INTEGER      PRIMARY KEY,  -- always 1: one CA per store
    certificate_pem TEXT         NOT NULL,
    private_key_pem TEXT         NOT NULL,
    created_by      VARCHAR(200) NOT NULL,     -- the instance that made it, for the operator
    created_at      VARCHAR(40)  NOT NULL
);
