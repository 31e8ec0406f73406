{#- Written by `dbt-envlint init --scaffold`: the macros the teardown and nightly cleanup
    workflows run. They only ever drop `pr_*` and `dev_*` schemas. -#}

{% macro envlint_drop_pr_schema(schema) %}
  {% if not schema.startswith('pr_') %}
    {{ exceptions.raise_compiler_error("refusing to drop " ~ schema ~ ": only pr_* schemas are torn down") }}
  {% endif %}
  {% do run_query("drop schema if exists " ~ schema ~ " cascade") %}
{% endmacro %}

{#- Drops `prefix` schemas (`pr_` or `dev_`) not listed in `keep`: on Snowflake those not
    altered for `days` days; elsewhere, where schemas keep no modification time, every `pr_`
    schema not kept (the workflow keeps the open pull requests') and no `dev_` schema. -#}
{% macro envlint_drop_stale_schemas(prefix, days, keep=[]) %}
  {% if prefix not in ['pr_', 'dev_'] %}
    {{ exceptions.raise_compiler_error("refusing to drop schemas with prefix " ~ prefix) }}
  {% endif %}
  {% if target.type == 'snowflake' %}
    {% set query %}
      select schema_name from information_schema.schemata
      where last_altered < dateadd(day, -{{ days }}, current_timestamp())
    {% endset %}
  {% elif prefix == 'pr_' %}
    {% set query %}
      select schema_name from information_schema.schemata
      {% if target.type == 'duckdb' %}where catalog_name = current_database(){% endif %}
    {% endset %}
  {% else %}
    {% do log("dev_* schemas are dropped by age on Snowflake only: " ~ target.type ~ " keeps no schema modification time", info=true) %}
    {% do return(none) %}
  {% endif %}
  {% set kept = keep | map('lower') | list %}
  {% for row in run_query(query) %}
    {% set schema = row[0] | lower %}
    {#- A kept schema keeps its custom-schema children: `pr_2` keeps `pr_2_marts`. -#}
    {% set owner = namespace(kept=false) %}
    {% for name in kept %}
      {% if schema == name or schema.startswith(name ~ '_') %}{% set owner.kept = true %}{% endif %}
    {% endfor %}
    {% if schema.startswith(prefix) and not owner.kept %}
      {% do run_query("drop schema if exists " ~ row[0] ~ " cascade") %}
    {% endif %}
  {% endfor %}
{% endmacro %}
