{#- Written by `dbt-envlint init --scaffold`: the macros the teardown and nightly cleanup
    workflows run, and the `on-run-end` hook that records when each dev schema was built.
    They only ever drop `pr_*` and `dev_*` schemas. -#}

{#- The schemas of the target's database, through dbt's own `list_schemas` (every adapter
    has one; BigQuery's returns names, the others a table). -#}
{% macro envlint_schemas() %}
  {% set found = list_schemas(target.database) %}
  {% do return(found.columns[0].values() if found.columns is defined else found) %}
{% endmacro %}

{#- Whether `schema` is `name` or one of its custom-schema children (`pr_7_marts`). -#}
{% macro envlint_belongs_to(schema, name) %}
  {% do return(schema | lower == name | lower or (schema | lower).startswith((name | lower) ~ "_")) %}
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

{#- The warehouses that keep no schema modification time: there the `on-run-end` hook
    records each build's dev schemas in `envlint_housekeeping.schema_builds` (a schema
    neither cleanup prefix matches, so no sweep ever drops it). -#}
{% macro envlint_keeps_no_times() %}
  {% do return(target.type in ['postgres', 'redshift', 'duckdb']) %}
{% endmacro %}

{#- The statements that record now as the last build of `schemas`, creating the registry
    first; with no schemas, only the registry. -#}
{% macro envlint_record(schemas) %}
  create schema if not exists envlint_housekeeping;
  create table if not exists envlint_housekeeping.schema_builds (schema_name varchar(256), last_built_at timestamp);
  {% if schemas %}
    delete from envlint_housekeeping.schema_builds where schema_name in ('{{ schemas | join("', '") }}');
    insert into envlint_housekeeping.schema_builds (schema_name, last_built_at) values
    {% for schema in schemas %}('{{ schema }}', {{ dbt.current_timestamp() }}){{ ',' if not loop.last }}{% endfor %};
  {% endif %}
{% endmacro %}

{#- The `on-run-end` hook (`"{{ envlint_record_build(results) }}"` in dbt_project.yml):
    records the run's `dev_*` schemas; nothing for other runs and other warehouses. -#}
{% macro envlint_record_build(results) %}
  {% set built = [] %}
  {% for result in results if execute and envlint_keeps_no_times() %}
    {% set schema = result.node.schema | lower %}
    {% if schema.startswith('dev_') and schema not in built %}{% do built.append(schema) %}{% endif %}
  {% endfor %}
  {% if built %}{{ envlint_record(built) }}{% endif %}
{% endmacro %}

{#- The `dev_*` schemas not built for `days` days: from the schema and table times of
    Snowflake, BigQuery and Databricks; elsewhere from the builds the `on-run-end` hook
    recorded, where a dev schema with no record gets one now (its clock starts at the first
    sweep that sees it). Other warehouses: none. -#}
{% macro envlint_stale_dev_schemas(days) %}
  {% set cutoff = dbt.dateadd('day', -days, dbt.current_timestamp()) %}
  {% if target.type == 'snowflake' %}
    {% set query %}
      select s.schema_name from {{ target.database }}.information_schema.schemata s
      left join (select table_schema, max(last_altered) as last_altered
                 from {{ target.database }}.information_schema.tables group by table_schema) t
        on t.table_schema = s.schema_name
      where s.schema_name ilike 'dev\\_%' escape '\\'
        and greatest(s.last_altered, coalesce(t.last_altered, s.last_altered)) < {{ cutoff }}
    {% endset %}
  {% elif target.type == 'databricks' %}
    {% set query %}
      select s.schema_name from {{ target.database }}.information_schema.schemata s
      left join (select table_schema, max(last_altered) as last_altered
                 from {{ target.database }}.information_schema.tables group by table_schema) t
        on t.table_schema = s.schema_name
      where s.schema_name like 'dev\\_%'
        and greatest(s.last_altered, coalesce(t.last_altered, s.last_altered)) < {{ cutoff }}
    {% endset %}
  {% elif target.type == 'bigquery' %}
    {#- A dataset's own time changes with its metadata only: its newest table's counts too. -#}
    {% set stale = [] %}
    {% set region = ("`region-" ~ target.location ~ "`.") if target.location else '' %}
    {% set schemata %}
      select schema_name, unix_millis(last_modified_time) as modified
      from `{{ target.project }}`.{{ region }}INFORMATION_SCHEMA.SCHEMATA
      where schema_name like 'dev\\_%'
    {% endset %}
    {% for row in run_query(schemata).rows %}
      {% set tables %}
        select greatest({{ row[1] }}, coalesce(max(last_modified_time), 0)) < unix_millis(timestamp({{ cutoff }}))
        from `{{ target.project }}`.{{ row[0] }}.__TABLES__
      {% endset %}
      {% if run_query(tables).columns[0].values()[0] %}{% do stale.append(row[0]) %}{% endif %}
    {% endfor %}
    {% do return(stale) %}
  {% elif envlint_keeps_no_times() %}
    {% do run_query(envlint_record([])) %}
    {% set recorded = run_query("select schema_name from envlint_housekeeping.schema_builds").columns[0].values() %}
    {% set unseen = [] %}
    {% for schema in envlint_schemas() %}
      {% if (schema | lower).startswith('dev_') and (schema | lower) not in recorded %}{% do unseen.append(schema | lower) %}{% endif %}
    {% endfor %}
    {% if unseen %}{% do run_query(envlint_record(unseen)) %}{% endif %}
    {% set query %}
      select schema_name from envlint_housekeeping.schema_builds
      where schema_name like 'dev\_%' {{ "" if target.type == 'redshift' else "escape '\\'" }}
        and last_built_at < {{ cutoff }}
    {% endset %}
  {% else %}
    {% do log("dev_* schemas are left alone: " ~ target.type ~ " keeps no schema modification time and the build records none", info=true) %}
    {% do return([]) %}
  {% endif %}
  {% do return(run_query(query).columns[0].values()) %}
{% endmacro %}

{#- Drops `prefix` schemas (`pr_` or `dev_`) that belong to no name in `keep` (the workflow
    keeps the open pull requests'): every such `pr_` schema, and the `dev_` schemas not
    built for `days` days (envlint_stale_dev_schemas). A registry row of a dropped schema
    goes with it. -#}
{% macro envlint_drop_stale_schemas(prefix, days, keep=[]) %}
  {% if prefix not in ['pr_', 'dev_'] %}
    {{ exceptions.raise_compiler_error("refusing to drop schemas with prefix " ~ prefix) }}
  {% endif %}
  {% set candidates = envlint_schemas() if prefix == 'pr_' else envlint_stale_dev_schemas(days) %}
  {% for schema in candidates %}
    {% set owner = namespace(kept=false) %}
    {% for name in keep %}
      {% if envlint_belongs_to(schema, name) %}{% set owner.kept = true %}{% endif %}
    {% endfor %}
    {% if (schema | lower).startswith(prefix) and not owner.kept %}
      {% do run_query("drop schema if exists " ~ schema ~ " cascade") %}
      {% if prefix == 'dev_' and envlint_keeps_no_times() %}
        {% do run_query("delete from envlint_housekeeping.schema_builds where schema_name = '" ~ schema | lower ~ "'") %}
      {% endif %}
    {% endif %}
  {% endfor %}
{% endmacro %}
