-- Events are stored as json, the text the store wrote, instead of jsonb. Nothing looks
-- inside an event in SQL, and a reader decodes every event it reads, so the text that json
-- keeps is what a read needs: PostgreSQL sends it as it is, where jsonb must be printed
-- anew for every read. Each stored event is converted as jsonb prints it, which reads back
-- the same. This rewrites the events table once.

ALTER TABLE {{schema}}.events ALTER COLUMN data TYPE json USING data::json;
