-- The gateway instances sharing this store (issue 17): registered at start, kept alive by a heartbeat, removed at
-- stop or by any instance once the heartbeat has lapsed. instance_index is the instance's slot: slots 0 and 1
-- share an active-active gateway's pool (azure-p2s.md §2.1); the lowest live slot serves an active-standby one.
-- Times are epoch milliseconds so that they compare as numbers in both SQLite and PostgreSQL.
CREATE TABLE instances (
    name           VARCHAR(100) PRIMARY KEY,
    instance_index INTEGER      NOT NULL UNIQUE,
    incarnation    VARCHAR(40)  NOT NULL,   -- random per start: tells a restarted instance from the one before
    public_address VARCHAR(100) NOT NULL,
    started_at     BIGINT       NOT NULL,
    heartbeat_at   BIGINT       NOT NULL
);
