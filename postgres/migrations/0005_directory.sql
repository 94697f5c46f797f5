-- The customer directory (party.Directory) and the Message-IDs of tickets
-- (ticket.MessageIndex).
--
-- Customers and organizations are stored whole as jsonb, with the columns lookups filter on.
-- Their keys sit in tables of their own whose primary keys make each key unique within a
-- tenant; a key row is removed with its record.

CREATE TABLE {{schema}}.customers (
	id           uuid PRIMARY KEY,
	tenant       text NOT NULL,
	organization uuid NOT NULL,   -- the nil UUID when none
	version      bigint NOT NULL,
	data         jsonb NOT NULL
);

CREATE INDEX customers_members ON {{schema}}.customers (tenant, organization, id);

-- customer_keys holds every email, phone and external ID of a customer; system is '' but
-- for external IDs.
CREATE TABLE {{schema}}.customer_keys (
	tenant   text NOT NULL,
	kind     text NOT NULL,
	system   text NOT NULL,
	value    text NOT NULL,
	customer uuid NOT NULL REFERENCES {{schema}}.customers (id) ON DELETE CASCADE,
	CONSTRAINT customer_keys_unique PRIMARY KEY (tenant, kind, system, value)
);

CREATE INDEX customer_keys_customer ON {{schema}}.customer_keys (customer);

CREATE TABLE {{schema}}.organizations (
	id      uuid PRIMARY KEY,
	tenant  text NOT NULL,
	version bigint NOT NULL,
	data    jsonb NOT NULL
);

CREATE TABLE {{schema}}.organization_domains (
	tenant       text NOT NULL,
	domain       text NOT NULL,
	organization uuid NOT NULL REFERENCES {{schema}}.organizations (id) ON DELETE CASCADE,
	CONSTRAINT organization_domains_unique PRIMARY KEY (tenant, domain)
);

CREATE INDEX organization_domains_organization ON {{schema}}.organization_domains (organization);

-- message_ids maps an email Message-ID, compared byte for byte, to the first ticket of the
-- tenant that recorded it.
CREATE TABLE {{schema}}.message_ids (
	tenant     text NOT NULL,
	message_id bytea NOT NULL,
	ticket_id  uuid NOT NULL REFERENCES {{schema}}.tickets (id) ON DELETE CASCADE,
	PRIMARY KEY (tenant, message_id)
);
