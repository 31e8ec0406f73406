//! The permission model read from the seed setups and real-world shapes, statement by statement.

use envlint_sql::{
    Access, Dialect, Grant, GranteeKind, Name, NamePart, ObjectKind, Statement, StatementKind,
    statements,
};

fn read(sql: &str, dialect: Dialect) -> Vec<Statement> {
    statements(sql, dialect)
}

/// Every statement of `sql`, each a grant.
fn grants(sql: &str, dialect: Dialect) -> Vec<Grant> {
    read(sql, dialect)
        .into_iter()
        .map(|s| match s.kind {
            StatementKind::Grant(g) => g,
            other => panic!("{other:?}"),
        })
        .collect()
}

/// `grant [privileges] ObjectKind names -> Kind:grantee,...`.
fn summary(g: &Grant) -> String {
    format!(
        "{} {:?} {:?} {} -> {}",
        if g.revoke { "revoke" } else { "grant" },
        g.privileges
            .iter()
            .map(|p| (p.text.as_str(), p.access))
            .collect::<Vec<_>>(),
        g.object.kind,
        g.object
            .names
            .iter()
            .map(Name::display)
            .collect::<Vec<_>>()
            .join(","),
        g.grantees
            .iter()
            .map(|x| format!("{:?}:{}", x.kind, x.name.display()))
            .collect::<Vec<_>>()
            .join(","),
    )
}

fn text<'a>(sql: &'a str, name: &Name) -> &'a str {
    &sql[name.span.clone()]
}

const MOTHERDUCK_SEED: &str = "\
CREATE OR REPLACE SHARE raw_prod FROM raw (ACCESS RESTRICTED, UPDATE AUTOMATIC);
GRANT READ ON SHARE raw_prod TO transform_dev, transform_ci, transform_prod;
ATTACH 'md:_share/raw/0a1b2c3d' AS raw;
CREATE SNAPSHOT release_2026_11_23 OF transform;
ALTER DATABASE transform SET SNAPSHOT TO (SNAPSHOT_NAME 'release_2026_11_23');
";

#[test]
fn the_motherduck_seed_reads_into_the_model_exactly() {
    let sql = MOTHERDUCK_SEED;
    let found = read(sql, Dialect::DuckDb);
    assert_eq!(found.len(), 5, "{found:#?}");

    let StatementKind::CreateShare(share) = &found[0].kind else {
        panic!("{:?}", found[0].kind)
    };
    assert_eq!(
        &sql[share.or_replace.clone().expect("present")],
        "OR REPLACE"
    );
    assert!(!share.if_not_exists);
    assert_eq!(
        share.name.as_ref().expect("present").simple(),
        Some("raw_prod")
    );
    assert_eq!(
        share.database.as_ref().expect("present").simple(),
        Some("raw")
    );
    let access = share.option("ACCESS").expect("present");
    assert_eq!(access.value, "RESTRICTED");
    assert_eq!(&sql[access.span.clone()], "ACCESS RESTRICTED");
    assert_eq!(share.option("UPDATE").expect("present").value, "AUTOMATIC");
    assert!(share.option("VISIBILITY").is_none());
    assert_eq!(
        &sql[found[0].span.clone()],
        sql.lines().next().expect("present").trim_end_matches(';')
    );

    let StatementKind::Grant(grant) = &found[1].kind else {
        panic!("{:?}", found[1].kind)
    };
    assert!(!grant.revoke);
    assert_eq!(grant.privileges.len(), 1);
    assert_eq!(grant.privileges[0].access, Access::Read);
    assert_eq!(grant.object.kind, ObjectKind::Share);
    assert_eq!(text(sql, &grant.object.names[0]), "raw_prod");
    let grantees: Vec<_> = grant.grantees.iter().map(|g| text(sql, &g.name)).collect();
    assert_eq!(
        grantees,
        ["transform_dev", "transform_ci", "transform_prod"]
    );
    assert!(
        grant
            .grantees
            .iter()
            .all(|g| g.kind == GranteeKind::Unspecified)
    );

    let StatementKind::Attach { path, alias } = &found[2].kind else {
        panic!("{:?}", found[2].kind)
    };
    assert_eq!(path.simple(), Some("md:_share/raw/0a1b2c3d"));
    assert_eq!(alias.as_ref().expect("present").simple(), Some("raw"));

    let StatementKind::CreateSnapshot { name, database } = &found[3].kind else {
        panic!("{:?}", found[3].kind)
    };
    assert_eq!(name.simple(), Some("release_2026_11_23"));
    assert_eq!(database.simple(), Some("transform"));

    let StatementKind::RestoreSnapshot { database, snapshot } = &found[4].kind else {
        panic!("{:?}", found[4].kind)
    };
    assert_eq!(database.simple(), Some("transform"));
    assert_eq!(
        snapshot.as_ref().expect("present").simple(),
        Some("release_2026_11_23")
    );
}

const SNOWFLAKE_SEED: &str = "\
USE ROLE SECURITYADMIN;
CREATE ROLE IF NOT EXISTS developer;
GRANT USAGE ON DATABASE analytics TO ROLE developer;
GRANT CREATE SCHEMA ON DATABASE analytics_dev TO ROLE developer;
GRANT SELECT ON ALL TABLES IN SCHEMA analytics.prod TO ROLE developer;
GRANT SELECT ON FUTURE TABLES IN SCHEMA analytics.prod TO ROLE developer;
GRANT ALL PRIVILEGES ON SCHEMA analytics.prod TO ROLE prod_service;
GRANT OWNERSHIP ON SCHEMA analytics.prod TO ROLE prod_service COPY CURRENT GRANTS;
GRANT CREATE SCHEMA ON DATABASE analytics_ci TO ROLE ci_service;
GRANT ROLE developer TO USER ana;
REVOKE INSERT, UPDATE ON ALL TABLES IN DATABASE analytics FROM ROLE developer;
";

#[test]
fn the_snowflake_role_grants_read_into_the_model_exactly() {
    let sql = SNOWFLAKE_SEED;
    let grants = grants(sql, Dialect::Snowflake);
    let summary: Vec<String> = grants.iter().map(summary).collect();
    assert_eq!(
        summary,
        [
            r#"grant [("USAGE", Other)] Database analytics -> Role:developer"#,
            r#"grant [("CREATE SCHEMA", Write)] Database analytics_dev -> Role:developer"#,
            r#"grant [("SELECT", Read)] SchemaContents analytics.prod -> Role:developer"#,
            r#"grant [("SELECT", Read)] SchemaContents analytics.prod -> Role:developer"#,
            r#"grant [("ALL PRIVILEGES", Write)] Schema analytics.prod -> Role:prod_service"#,
            r#"grant [("OWNERSHIP", Write)] Schema analytics.prod -> Role:prod_service"#,
            r#"grant [("CREATE SCHEMA", Write)] Database analytics_ci -> Role:ci_service"#,
            r#"grant [("ROLE", Role)] Role developer -> User:ana"#,
            r#"revoke [("INSERT", Write), ("UPDATE", Write)] DatabaseContents analytics -> Role:developer"#,
        ]
    );
    let last = grants.last().expect("present");
    assert_eq!(&sql[last.privileges[1].span.clone()], "UPDATE");
    assert_eq!(&sql[last.grantees[0].name.span.clone()], "developer");
}

#[test]
fn other_dialects_read_their_own_shapes() {
    let bq = "GRANT `roles/bigquery.dataEditor` ON SCHEMA `proj.analytics` TO \"user:ana@x.com\", \"serviceAccount:ci@p.iam.gserviceaccount.com\"";
    let found = read(bq, Dialect::BigQuery);
    let [
        Statement {
            kind: StatementKind::Grant(g),
            ..
        },
    ] = found.as_slice()
    else {
        panic!()
    };
    assert_eq!(g.privileges[0].access, Access::Write);
    assert_eq!(g.object.kind, ObjectKind::Schema);
    assert_eq!(
        g.object.names[0].parts,
        [
            NamePart::Literal("proj".into()),
            NamePart::Literal("analytics".into())
        ]
    );
    assert_eq!(g.grantees[0].kind, GranteeKind::User);
    assert_eq!(g.grantees[1].kind, GranteeKind::ServiceAccount);

    let pg = "alter default privileges in schema analytics_marts grant select on tables to fpl_api;\ngrant transformer to dbt_user;\ngrant all on schema analytics to public";
    let found = read(pg, Dialect::Postgres);
    let kinds: Vec<_> = found
        .iter()
        .map(|s| match &s.kind {
            StatementKind::Grant(g) => (g.default_privileges, g.object.kind, g.grantees[0].kind),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (true, ObjectKind::SchemaContents, GranteeKind::Unspecified),
            (false, ObjectKind::Role, GranteeKind::Unspecified),
            (false, ObjectKind::Schema, GranteeKind::Public),
        ]
    );
}

#[test]
fn jinja_names_keep_their_text_and_spans_and_if_blocks_mark_statements() {
    let sql = "{% macro g() %}\n{% if target.name == 'prod' %}\n  grant all on schema {{ target.schema }} to role developer;\n{% endif %}\n  grant select on {{ this }} to role reporter\n{% endmacro %}";
    let found = read(sql, Dialect::Snowflake);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].conditional);
    assert!(!found[1].conditional);
    let StatementKind::Grant(g) = &found[0].kind else {
        panic!()
    };
    assert_eq!(
        g.object.names[0].parts,
        [NamePart::Jinja("{{ target.schema }}".into())]
    );
    assert_eq!(text(sql, &g.object.names[0]), "{{ target.schema }}");
}

#[test]
fn statements_in_run_query_strings_are_read_at_their_place_in_the_file() {
    let sql = "{% do run_query(\"create or replace share s from raw (access unrestricted)\") %}";
    let found = read(sql, Dialect::DuckDb);
    let [
        Statement {
            kind: StatementKind::CreateShare(share),
            ..
        },
    ] = found.as_slice()
    else {
        panic!("{found:?}")
    };
    assert_eq!(
        &sql[share.option("ACCESS").expect("present").span.clone()],
        "access unrestricted"
    );
}

#[test]
fn what_cannot_be_read_is_unrecognised_and_other_sql_is_left_out() {
    let sql = "select 1; create or replace table t as select 2; grant role BOC to user <YOUR_USER>; create share s from raw (access;";
    let found = read(sql, Dialect::Snowflake);
    let kinds: Vec<_> = found.iter().map(|s| &s.kind).collect();
    assert_eq!(
        kinds,
        [
            &StatementKind::Unrecognised {
                keyword: "GRANT".into()
            },
            &StatementKind::Unrecognised {
                keyword: "CREATE".into()
            },
        ]
    );
}

#[test]
fn every_dialect_reads_the_motherduck_statements() {
    for dialect in [
        Dialect::Generic,
        Dialect::DuckDb,
        Dialect::Snowflake,
        Dialect::Postgres,
    ] {
        assert_eq!(read(MOTHERDUCK_SEED, dialect).len(), 5, "{dialect:?}");
    }
}

#[test]
fn snowflake_grants_on_objects_that_hold_no_table_data_are_read_as_other() {
    let sql = "\
GRANT OWNERSHIP ON FUTURE TASKS IN SCHEMA sage.audit TO ROLE data_engineer;
GRANT MONITOR ON ALL TASKS IN DATABASE sage TO ROLE data_engineer;
REVOKE SELECT ON FUTURE STREAMS IN DATABASE synapse FROM ROLE data_engineer;
GRANT USAGE ON STREAMLIT sage.product.metrics TO ROLE analyst;
GRANT OWNERSHIP ON ALL FILE FORMATS IN SCHEMA sage.raw TO ROLE loader;
REVOKE APPLYBUDGET, MONITOR, OPERATE ON FUTURE TASKS IN DATABASE sage FROM ROLE a;
GRANT OWNERSHIP ON ALL GIT REPOSITORIES IN SCHEMA sage.audit TO ROLE admin REVOKE CURRENT GRANTS;
GRANT INSERT ON FUTURE TABLES IN SCHEMA sage.analytics TO ROLE developer;
";
    let found = read(sql, Dialect::Snowflake);
    assert_eq!(found.len(), 8, "{found:#?}");
    for statement in &found[..7] {
        let StatementKind::Grant(grant) = &statement.kind else {
            panic!("not read: {:?}", statement.kind)
        };
        assert_eq!(grant.object.kind, ObjectKind::Other, "{statement:?}");
    }
    let StatementKind::Grant(tables) = &found[7].kind else {
        panic!("{:?}", found[7].kind)
    };
    assert_eq!(tables.object.kind, ObjectKind::SchemaContents);
}

#[test]
fn snowflake_role_public_is_everyone() {
    let found = read(
        "GRANT CREATE TABLE ON SCHEMA shop.analytics TO ROLE PUBLIC;",
        Dialect::Snowflake,
    );
    let StatementKind::Grant(grant) = &found[0].kind else {
        panic!("{:?}", found[0].kind)
    };
    assert_eq!(grant.grantees[0].kind, GranteeKind::Public);
}

#[test]
fn names_that_are_also_keywords_are_read_by_their_place_in_the_grant() {
    let sql = r#"
GRANT USAGE ON DATABASE warehouse TO ROLE developer;
GRANT ALL PRIVILEGES ON SCHEMA warehouse.analytics TO ROLE developer;
GRANT SELECT ON TABLE data.stage.share TO ROLE role;
GRANT SELECT ON data.stage TO role;
GRANT USAGE ON SCHEMA "schema" TO ROLE "user";
GRANT SELECT ON ALL TABLES IN SCHEMA table.schema TO ROLE user;
GRANT USAGE ON DATABASE data TO user;
GRANT SELECT ON VIEW share.role.user TO SHARE share;
GRANT INSERT ON FUTURE TABLES IN DATABASE stage TO GROUP group;
"#;
    let summary: Vec<String> = grants(sql, Dialect::Snowflake)
        .iter()
        .map(summary)
        .collect();
    assert_eq!(
        summary,
        [
            r#"grant [("USAGE", Other)] Database warehouse -> Role:developer"#,
            r#"grant [("ALL PRIVILEGES", Write)] Schema warehouse.analytics -> Role:developer"#,
            r#"grant [("SELECT", Read)] Table data.stage.share -> Role:role"#,
            r#"grant [("SELECT", Read)] Table data.stage -> Unspecified:role"#,
            r#"grant [("USAGE", Other)] Schema schema -> Role:user"#,
            r#"grant [("SELECT", Read)] SchemaContents table.schema -> Role:user"#,
            r#"grant [("USAGE", Other)] Database data -> Unspecified:user"#,
            r#"grant [("SELECT", Read)] Table share.role.user -> Share:share"#,
            r#"grant [("INSERT", Write)] DatabaseContents stage -> Group:group"#,
        ]
    );
}

#[test]
fn every_dialects_grant_shapes_stay_readable() {
    let cases = [
        (
            Dialect::Postgres,
            "GRANT SELECT ON ALL TABLES IN SCHEMA analytics, marts TO reporter",
            r#"grant [("SELECT", Read)] SchemaContents analytics,marts -> Unspecified:reporter"#,
        ),
        (
            Dialect::Postgres,
            "GRANT EXECUTE ON FUNCTION add(int, int) TO analyst",
            r#"grant [("EXECUTE", Other)] Other  -> Unspecified:analyst"#,
        ),
        (
            Dialect::Postgres,
            "GRANT USAGE ON FOREIGN DATA WRAPPER postgres_fdw TO loader",
            r#"grant [("USAGE", Other)] Other  -> Unspecified:loader"#,
        ),
        (
            Dialect::Postgres,
            "GRANT SELECT (id, name) ON public.account TO analyst",
            r#"grant [("SELECT", Read)] Table public.account -> Unspecified:analyst"#,
        ),
        (
            Dialect::Snowflake,
            "GRANT CREATE DATABASE ON ACCOUNT TO ROLE sysadmin",
            r#"grant [("CREATE DATABASE", Write)] Other  -> Role:sysadmin"#,
        ),
        (
            Dialect::Snowflake,
            "GRANT USAGE ON EXTERNAL VOLUME lake TO ROLE loader",
            r#"grant [("USAGE", Other)] Other  -> Role:loader"#,
        ),
        (
            Dialect::Snowflake,
            "GRANT OWNERSHIP ON DATABASE ROLE warehouse.reader TO ROLE admin",
            r#"grant [("OWNERSHIP", Write)] Other  -> Role:admin"#,
        ),
        (
            Dialect::Snowflake,
            "GRANT SELECT ON ALL MATERIALIZED VIEWS IN SCHEMA d.s TO ROLE r",
            r#"grant [("SELECT", Read)] SchemaContents d.s -> Role:r"#,
        ),
        (
            Dialect::BigQuery,
            "GRANT `roles/bigquery.dataViewer` ON TABLE `proj.data.share` TO \"group:team@x.com\"",
            r#"grant [("roles/bigquery.dataViewer", Read)] Table proj.data.share -> Group:team@x.com"#,
        ),
        (
            Dialect::Databricks,
            "GRANT USE CATALOG ON CATALOG main TO `data engineers`",
            r#"grant [("USE CATALOG", Other)] Database main -> Unspecified:data engineers"#,
        ),
        (
            Dialect::Databricks,
            "GRANT MODIFY ON TABLE main.data.stage TO `developers`",
            r#"grant [("MODIFY", Write)] Table main.data.stage -> Unspecified:developers"#,
        ),
        (
            Dialect::Databricks,
            "GRANT SELECT ON ANY FILE TO `analysts`",
            r#"grant [("SELECT", Read)] Other  -> Unspecified:analysts"#,
        ),
        (
            Dialect::Databricks,
            "GRANT CREATE CATALOG ON METASTORE TO `admins`",
            r#"grant [("CREATE CATALOG", Write)] Other  -> Unspecified:admins"#,
        ),
    ];
    for (dialect, sql, expected) in cases {
        let found = grants(sql, dialect);
        assert_eq!(summary(&found[0]), expected, "{sql}");
    }
}

#[test]
fn postgres_default_privileges_on_sequences_or_functions_hold_no_table_data() {
    let sql = "ALTER DEFAULT PRIVILEGES IN SCHEMA analytics GRANT ALL ON SEQUENCES TO analyst;
ALTER DEFAULT PRIVILEGES IN SCHEMA analytics GRANT INSERT ON TABLES TO analyst";
    let kinds: Vec<ObjectKind> = grants(sql, Dialect::Postgres)
        .iter()
        .map(|g| g.object.kind)
        .collect();
    assert_eq!(kinds, [ObjectKind::Other, ObjectKind::SchemaContents]);
}

#[test]
fn logins_with_a_literal_password_keep_only_where_it_is_written() {
    let sql = "CREATE ROLE dbt_prod LOGIN PASSWORD 's3cret';
ALTER USER IF EXISTS loader SET PASSWORD = 'other';
CREATE OR REPLACE USER ana IDENTIFIED WITH sha256_password BY 'third';
CREATE ROLE developer NOLOGIN;
CREATE ROLE dbt_ci LOGIN PASSWORD :'password';
ALTER ROLE reporter PASSWORD NULL;
CREATE USER dbt_dev PASSWORD '{{ env_var(\"DEV_PASSWORD\") }}';
CREATE OR REPLACE TABLE users AS SELECT 1";
    let found: Vec<(String, &str)> = read(sql, Dialect::Postgres)
        .iter()
        .map(|s| match &s.kind {
            StatementKind::LoginPassword { login, password } => {
                (login.display(), &sql[password.clone()])
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        found,
        [
            ("dbt_prod".to_owned(), "'s3cret'"),
            ("loader".to_owned(), "'other'"),
            ("ana".to_owned(), "'third'"),
        ]
    );
}
