{#- Written by `dbt-envlint init --scaffold`: the macros the teardown and nightly cleanup
    workflows run. They only ever drop `pr_*` and `dev_*` schemas. -#}

{#- The schemas of the target's database, through dbt's own `list_schemas` (every adapter
    has one; BigQuery's returns names, the others a table). -#}
{% macro envlint_schemas() %}
  {% set found = list_schemas(target.database) %}
  {% do return(found.columns[0].values() if found.columns is defined else found) %}
{% endmacro %}

{#- Whether `schema` is `name` or one of its custom-schema children (`pr_7_marts`). -#}
{% macro envlint_belongs_to(schema, name) %}
  {% do return(schema | lower == name | lower or (schema | lower).startswith((name | lower) ~ '_')) %}
{% endmacro %}

{#- Drops a pull request's schema and its custom-schema children. -#}
{% macro envlint_drop_pr_schema(schema) %}
  {% if not schema.startswith('pr_') %}
    {{ exceptions.raise_compiler_error("refusing to drop " ~ schema ~ ": only pr_* schemas are torn down") }}
  {% endif %}
  {% for name in envlint_schemas() %}
    {% if envlint_belongs_to(name, schema) %}
      {% do run_query("drop schema if exists " ~ name ~ " cascade") %}
    {% endif %}
  {% endfor %}
{% endmacro %}

{#- Drops `prefix` schemas (`pr_` or `dev_`) that belong to no name in `keep`: on Snowflake
    those not altered for `days` days; elsewhere, where schemas keep no modification time,
    every `pr_` schema not kept (the workflow keeps the open pull requests') and no `dev_`
    schema. -#}
{% macro envlint_drop_stale_schemas(prefix, days, keep=[]) %}
  {% if prefix not in ['pr_', 'dev_'] %}
    {{ exceptions.raise_compiler_error("refusing to drop schemas with prefix " ~ prefix) }}
  {% endif %}
  {% if target.type == 'snowflake' %}
    {% set query %}
      select schema_name from information_schema.schemata
      where last_altered < dateadd(day, -{{ days }}, current_timestamp())
    {% endset %}
    {% set candidates = run_query(query).columns[0].values() %}
  {% elif prefix == 'pr_' %}
    {% set candidates = envlint_schemas() %}
  {% else %}
    {% do log("dev_* schemas are dropped by age on Snowflake only: " ~ target.type ~ " keeps no schema modification time", info=true) %}
    {% do return(none) %}
  {% endif %}
  {% for schema in candidates %}
    {% set owner = namespace(kept=false) %}
    {% for name in keep %}
      {% if envlint_belongs_to(schema, name) %}{% set owner.kept = true %}{% endif %}
    {% endfor %}
    {% if (schema | lower).startswith(prefix) and not owner.kept %}
      {% do run_query("drop schema if exists " ~ schema ~ " cascade") %}
    {% endif %}
  {% endfor %}
{% endmacro %}
