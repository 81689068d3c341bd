-- A store-wide change counter (issue 17): every committed write of the desired state, and every change of the
-- instances, adds one in the same transaction. On PostgreSQL that transaction also notifies channel p2sgw_changes;
-- every instance LISTENs, and compares this counter every few seconds in case it missed a notification.
CREATE TABLE store_changes (
    id      INTEGER PRIMARY KEY,   -- always 1
    version BIGINT  NOT NULL
);
INSERT INTO store_changes (id, version) VALUES (1, 0);
