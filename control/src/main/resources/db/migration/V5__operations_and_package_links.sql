-- Shared by every instance (issue 17): an operation started through one instance is polled through any other, and a
-- package link issued by one downloads through any other; both also survive a restart. Times are epoch ms.
CREATE TABLE operations (
    id            VARCHAR(40)  PRIMARY KEY,
    status        VARCHAR(20)  NOT NULL,   -- InProgress, Succeeded, Failed
    started_at    BIGINT       NOT NULL,
    ended_at      BIGINT,
    result        TEXT,                    -- JSON, when the operation has one
    error_status  INTEGER,
    error_code    VARCHAR(100),
    error_message TEXT
);
CREATE INDEX operations_by_start ON operations (started_at);

-- Client package download links: like the API tokens, only the SHA-256 of the link's token is stored.
CREATE TABLE package_links (
    token_hash VARCHAR(64)  PRIMARY KEY,
    file_name  VARCHAR(200) NOT NULL,
    zip_base64 TEXT         NOT NULL,     -- a package is a few KiB; text keeps the schema the same in both dialects
    created_seq BIGINT      NOT NULL,     -- issue order: the oldest links go first beyond the bound
    expires_at BIGINT       NOT NULL
);
CREATE INDEX package_links_by_creation ON package_links (created_seq);
