-- Knowledge-base articles: the slug as a unique column, the whole article as jsonb.

CREATE TABLE {{schema}}.articles (
	id      uuid PRIMARY KEY,
	slug    text NOT NULL CONSTRAINT articles_slug UNIQUE,
	version bigint NOT NULL,
	data    jsonb NOT NULL
);
