"""Cheaper inserts into the organization table (a bulk import spends its server time on indexes),
with the same searches served.

- Redundant indexes dropped: `db_index` on Organization.name also made a varchar_pattern_ops
  index nothing uses (a plain btree, `organization_name`, stays for exact-name lookups); the
  town and status-event organization foreign keys lose their own indexes, since composite ones
  lead with the same column ((town, legal_form), the town's pinyin index of 0004, and
  (organization, date)).
- PostgreSQL only (a no-op on SQLite): name search moves from 0004's `registry_name_grams` text[]
  of unigrams and bigrams to `registry_name_bigrams(text)`, a tsvector of the lower-cased
  bigrams and the last character alone, queried with `@@` (registry.search). A one-character
  keyword is then a prefix query, so it needs no unigrams: half the keys, and about half the
  insert cost (100,000 names: 1.0 s instead of 2.1 s). `array_to_tsvector` takes the grams as
  they are (no text parser, so punctuation is kept), but rejects an empty string: an empty name
  gives an empty tsvector.
"""

from django.db import migrations, models

FORWARD = """
DROP INDEX IF EXISTS registry_formername_name_grams;
DROP INDEX IF EXISTS registry_organization_name_grams;
DROP FUNCTION IF EXISTS registry_name_grams(text);
CREATE OR REPLACE FUNCTION registry_name_bigrams(value text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    lowered text := lower(value);
    n integer := length(lowered);
    grams text[] := '{}';
BEGIN
    IF n = 0 THEN
        RETURN ''::tsvector;
    END IF;
    FOR i IN 1..n - 1 LOOP
        grams := grams || substr(lowered, i, 2);
    END LOOP;
    RETURN array_to_tsvector(grams || substr(lowered, n, 1));
END
$$;
CREATE INDEX registry_organization_name_bigrams
    ON registry_organization USING gin (registry_name_bigrams(name));
CREATE INDEX registry_formername_name_bigrams
    ON registry_formername USING gin (registry_name_bigrams(name));
"""

# 0004's function and indexes, as they were.
BACKWARD = """
DROP INDEX IF EXISTS registry_formername_name_bigrams;
DROP INDEX IF EXISTS registry_organization_name_bigrams;
DROP FUNCTION IF EXISTS registry_name_bigrams(text);
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
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0004_postgresql_search_and_pinyin"),
    ]

    operations = [
        migrations.AlterField(
            model_name="organization",
            name="name",
            field=models.CharField(max_length=200, verbose_name="社会组织名称"),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(fields=["name"], name="organization_name"),
        ),
        migrations.AlterField(
            model_name="organization",
            name="town",
            field=models.ForeignKey(
                db_index=False, limit_choices_to={"level__in": ("town", "subdistrict")},
                on_delete=models.PROTECT, related_name="organizations",
                to="registry.area", verbose_name="所属镇街",
            ),
        ),
        migrations.AlterField(
            model_name="statusevent",
            name="organization",
            field=models.ForeignKey(
                db_index=False, on_delete=models.CASCADE, related_name="status_events",
                to="registry.organization", verbose_name="社会组织",
            ),
        ),
        migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD), elidable=False),
    ]
