-- Knowledge-base articles per tenant: slugs are unique within a tenant, and a tenant's
-- articles are listed by ID. Articles stored before are the default tenant's ('').

ALTER TABLE {{schema}}.articles ADD COLUMN tenant text NOT NULL DEFAULT '';
ALTER TABLE {{schema}}.articles DROP CONSTRAINT articles_slug;
ALTER TABLE {{schema}}.articles ADD CONSTRAINT articles_tenant_slug UNIQUE (tenant, slug);
CREATE INDEX articles_tenant_id ON {{schema}}.articles (tenant, id);
