-- Tickets, their comments and their events. A ticket is stored as columns for what a Query
-- filters on, plus the whole ticket as jsonb; comments and events are jsonb rows keyed by
-- (ticket, Seq). Events carry the transaction that wrote them and a position, the change feed's
-- order.

CREATE SEQUENCE {{schema}}.ticket_numbers;

CREATE TABLE {{schema}}.tickets (
	id              uuid PRIMARY KEY,
	tenant          text NOT NULL,
	number          text NOT NULL,
	version         bigint NOT NULL,
	key_hash        bytea,           -- sha256 of the creation key; NULL when none
	key             text,            -- the creation key itself, compared exactly
	fingerprint     text NOT NULL,
	status          text NOT NULL,
	priority        text NOT NULL,
	assignee        text NOT NULL,
	grp             text NOT NULL,
	requester_id    text NOT NULL,
	requester_email text NOT NULL,   -- lower case
	organization    text NOT NULL,
	tags            text[] NOT NULL,
	updated_ns      bigint NOT NULL, -- UpdatedAt in Unix nanoseconds
	data            jsonb NOT NULL,
	CONSTRAINT tickets_number UNIQUE (tenant, number),
	CONSTRAINT tickets_key UNIQUE (tenant, key_hash)
);

CREATE INDEX tickets_tenant_id ON {{schema}}.tickets (tenant, id);
CREATE INDEX tickets_status ON {{schema}}.tickets (tenant, status, id);
CREATE INDEX tickets_priority ON {{schema}}.tickets (tenant, priority, id);
CREATE INDEX tickets_assignee ON {{schema}}.tickets (tenant, assignee, id);
CREATE INDEX tickets_group ON {{schema}}.tickets (tenant, grp, id);
CREATE INDEX tickets_requester_id ON {{schema}}.tickets (tenant, requester_id, id);
CREATE INDEX tickets_requester_email ON {{schema}}.tickets (tenant, requester_email, id);
CREATE INDEX tickets_organization ON {{schema}}.tickets (tenant, organization, id);
CREATE INDEX tickets_updated ON {{schema}}.tickets (tenant, updated_ns);
CREATE INDEX tickets_tags ON {{schema}}.tickets USING gin (tags);

CREATE TABLE {{schema}}.comments (
	ticket_id uuid NOT NULL,
	seq       integer NOT NULL,
	data      jsonb NOT NULL,
	PRIMARY KEY (ticket_id, seq)
);

CREATE TABLE {{schema}}.events (
	ticket_id uuid NOT NULL,
	seq       bigint NOT NULL,
	xid       xid8 NOT NULL DEFAULT pg_current_xact_id(),
	pos       bigserial NOT NULL,
	data      jsonb NOT NULL,
	PRIMARY KEY (ticket_id, seq)
);

CREATE INDEX events_feed ON {{schema}}.events (xid, pos);

-- fail raises an error with the given SQLSTATE, so that one statement can abort a write.
CREATE FUNCTION {{schema}}.fail(code text, message text) RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = code, MESSAGE = message;
END
$$;
