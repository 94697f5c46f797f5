-- The Desk's durable parts: the hook ledger, the dispatch lease, agents' presence and each
-- Desk's clock index. Instants are Unix nanoseconds of the callers' clock, compared exactly.

CREATE TABLE {{schema}}.desk_ledger (
	key       text PRIMARY KEY,
	owner     text NOT NULL,
	until_ns  bigint NOT NULL,   -- when the claim ends; 0 once delivered
	delivered boolean NOT NULL
);

-- One row at most: the Desk that dispatches, until when.
CREATE TABLE {{schema}}.desk_lease (
	id       boolean PRIMARY KEY DEFAULT true CHECK (id),
	owner    text NOT NULL,
	until_ns bigint NOT NULL
);

CREATE TABLE {{schema}}.desk_roster (
	agent    text PRIMARY KEY,
	presence text NOT NULL,
	at_ns    bigint NOT NULL
);

-- The next look each Desk (desk, its instance name) needs at each ticket's SLA clocks.
CREATE TABLE {{schema}}.desk_clocks (
	desk      text NOT NULL,
	ticket_id uuid NOT NULL,
	at_ns     bigint NOT NULL,
	PRIMARY KEY (desk, ticket_id)
);

CREATE INDEX desk_clocks_due ON {{schema}}.desk_clocks (desk, at_ns, ticket_id);
