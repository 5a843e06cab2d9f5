"""PostgreSQL only (a no-op on SQLite): Chinese substring search and pinyin order, maintained by
the database itself so bulk loaders have nothing to remember.

- `registry_name_grams(text)`: a text's lower-cased character unigrams and bigrams. GIN indexes on
  `registry_name_grams(name)` of organizations and former names serve `@>` for any keyword of one
  or more characters (registry.search). A `simple` tsvector would run the grams through the text
  parser, which splits or drops punctuation; a text[] keeps every gram exactly as made.
- `registry_pinyin`: an ICU collation in pinyin order, with an index on the name in it, so the
  directory's default order is an index scan, also within a town (a town filter on its own would
  otherwise walk the whole name index to its organizations). registry.pinyin registers a
  collation of the same name on SQLite.
- The status periods' index again, carrying the organization: "organizations in status S on D"
  (the directory's status filter, every headline figure) then reads the index alone. SQLite
  has no INCLUDE; its plain index (a Meta index on StatusEvent) serves a county.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION registry_name_grams(value text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    lowered text := lower(value);
    n integer := length(lowered);
    grams text[] := '{}';
BEGIN
    FOR i IN 1..n LOOP
        grams := grams || substr(lowered, i, 1);
        IF i < n THEN
            grams := grams || substr(lowered, i, 2);
        END IF;
    END LOOP;
    RETURN grams;
END
$$;
CREATE INDEX registry_organization_name_grams
    ON registry_organization USING gin (registry_name_grams(name));
CREATE INDEX registry_formername_name_grams
    ON registry_formername USING gin (registry_name_grams(name));
CREATE COLLATION IF NOT EXISTS registry_pinyin (provider = icu, locale = 'zh-u-co-pinyin');
CREATE INDEX registry_organization_name_pinyin
    ON registry_organization ((name COLLATE registry_pinyin), id);
CREATE INDEX registry_organization_town_name_pinyin
    ON registry_organization (town_id, (name COLLATE registry_pinyin), id);
CREATE INDEX registry_statusevent_period_organization
    ON registry_statusevent (resulting_status, date, ends_on) INCLUDE (organization_id);
"""

BACKWARD = """
DROP INDEX IF EXISTS registry_statusevent_period_organization;
DROP INDEX IF EXISTS registry_organization_town_name_pinyin;
DROP INDEX IF EXISTS registry_organization_name_pinyin;
DROP COLLATION IF EXISTS registry_pinyin;
DROP INDEX IF EXISTS registry_formername_name_grams;
DROP INDEX IF EXISTS registry_organization_name_grams;
DROP FUNCTION IF EXISTS registry_name_grams(text);
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0003_directory_indexes"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD), elidable=False),
    ]
