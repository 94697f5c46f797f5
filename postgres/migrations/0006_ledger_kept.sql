-- The occurrences a Desk keeps in the hook ledger (supportkit.KeepingLedger): those the
-- ticket log does not show, with what the Desk needs to deliver them after a restart.
-- kept is NULL for an occurrence never kept.

ALTER TABLE {{schema}}.desk_ledger ADD COLUMN kept bytea;

-- Kept lists the kept occurrences not delivered, in key order (byte by byte).
CREATE INDEX desk_ledger_kept ON {{schema}}.desk_ledger (key COLLATE "C") WHERE kept IS NOT NULL AND NOT delivered;
