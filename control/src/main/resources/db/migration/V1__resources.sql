-- p2sgw store, portable between SQLite and PostgreSQL (plain types only).
-- Top-level ARM resources are stored as their rendered JSON document; child resources (subnets,
-- ipConfigurations, root and revoked certificates) live inside their parent, as ARM returns them.
CREATE TABLE subscriptions (
    subscription_key VARCHAR(64) PRIMARY KEY,
    subscription_id  VARCHAR(64) NOT NULL,
    created_at       VARCHAR(40) NOT NULL
);

CREATE TABLE resources (
    resource_key     VARCHAR(1024) PRIMARY KEY,  -- lower-cased ARM id: ARM ids compare case-insensitively
    subscription_key VARCHAR(64)   NOT NULL,
    group_key        VARCHAR(90)   NOT NULL,
    resource_type    VARCHAR(100)  NOT NULL,
    name             VARCHAR(100)  NOT NULL,
    body             TEXT          NOT NULL,
    etag             VARCHAR(100)  NOT NULL,
    created_seq      BIGINT        NOT NULL,   -- creation order: "the oldest gateway"
    created_at       VARCHAR(40)   NOT NULL,
    updated_at       VARCHAR(40)   NOT NULL
);
CREATE INDEX resources_by_group ON resources (subscription_key, group_key, resource_type);
CREATE INDEX resources_by_type ON resources (resource_type, created_seq);

-- The gateway's OpenVPN static key (tls-auth/tls-crypt): secret, never part of the ARM document.
CREATE TABLE gateway_secrets (
    resource_key       VARCHAR(1024) PRIMARY KEY,
    openvpn_static_key VARCHAR(512)  NOT NULL   -- 256 bytes as hex
);

-- API bearer tokens, stored as SHA-256 hashes only.
CREATE TABLE api_tokens (
    name       VARCHAR(100) PRIMARY KEY,
    token_hash VARCHAR(64)  NOT NULL UNIQUE,
    role       VARCHAR(20)  NOT NULL,
    created_at VARCHAR(40)  NOT NULL
);
