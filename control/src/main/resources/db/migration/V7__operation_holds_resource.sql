-- ARM refuses a second write to a resource while an operation on it runs (409 AnotherOperationInProgress, issue 17).
-- An operation that holds a resource names it here (lower-cased ARM id); the partial unique index lets one operation
-- in progress hold a resource across every instance sharing the store, decided by the store when two claim at once.
-- expires_at bounds the hold: an operation whose instance died never ends, and must not hold the gateway forever.
ALTER TABLE operations ADD COLUMN resource_key VARCHAR(1024);
ALTER TABLE operations ADD COLUMN expires_at BIGINT;
CREATE UNIQUE INDEX operations_one_in_progress_per_resource ON operations (resource_key) WHERE status = 'InProgress';
