-- Pruning the hook ledger (supportkit.PruningLedger). A delivered row keeps until_ns, the
-- end of its key's last claim, instead of setting it to 0, so that Prune can tell how old
-- it is; 0 is left for a key recorded delivered without a claim, which is never pruned.
-- The rows delivered before this version lost their claim's end: they count as claimed
-- until this migration ran, by the database's clock.

UPDATE {{schema}}.desk_ledger
	SET until_ns = (extract(epoch FROM clock_timestamp()) * 1000000000)::bigint
	WHERE delivered AND until_ns = 0;

-- Prune reads the rows it may delete (delivered, or neither delivered nor kept) by the end
-- of their last claim.
CREATE INDEX desk_ledger_prune ON {{schema}}.desk_ledger (until_ns) WHERE delivered OR kept IS NULL;
