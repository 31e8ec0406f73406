//! The reader agrees with sqlparser's own parser on every grant that sqlparser parses.

use envlint_sql::{Dialect, Name, StatementKind, statements};
use sqlparser::ast::{GrantObjects, Grantee, Privileges, Statement};
use sqlparser::dialect::{PostgreSqlDialect, RedshiftSqlDialect, SnowflakeDialect};
use sqlparser::parser::Parser;

const SNOWFLAKE: &[&str] = &[
    "GRANT USAGE ON DATABASE w TO ROLE developer",
    "GRANT CREATE SCHEMA ON DATABASE w TO ROLE developer",
    "GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO ROLE developer",
    "GRANT SELECT ON FUTURE TABLES IN SCHEMA a.m TO ROLE r",
    "GRANT ALL PRIVILEGES ON SCHEMA analytics TO ROLE developer",
    "GRANT OWNERSHIP ON SCHEMA a.m TO ROLE t COPY CURRENT GRANTS",
    "GRANT ROLE transformer TO USER dbt_user",
    "GRANT ROLE transformer TO ROLE sysadmin",
    "GRANT USAGE ON WAREHOUSE wh TO ROLE r",
    "REVOKE SELECT ON ALL TABLES IN SCHEMA a.m FROM ROLE r",
    "GRANT INSERT, UPDATE, DELETE ON TABLE a.m.t TO ROLE r, ROLE s",
    "GRANT SELECT ON VIEW a.m.v TO SHARE s",
];
const POSTGRES: &[&str] = &[
    "GRANT USAGE ON SCHEMA x TO r",
    "GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO reporter",
    "GRANT CREATE ON DATABASE d TO ci",
    "GRANT ALL ON SCHEMA analytics TO PUBLIC",
    "REVOKE ALL ON SCHEMA public FROM fpl_api",
    "GRANT SELECT, INSERT ON analytics.t TO a, b",
];
const REDSHIFT: &[&str] = &[
    "GRANT SELECT ON ALL TABLES IN SCHEMA s TO GROUP reporters",
    "GRANT USAGE ON SCHEMA s TO GROUP reporters",
];

/// (privileges, object names, grantee names) as sqlparser sees them.
fn reference(statement: &Statement) -> (usize, Vec<String>, Vec<String>) {
    let (privileges, objects, grantees) = match statement {
        Statement::Grant(g) => (&g.privileges, &g.objects, &g.grantees),
        Statement::Revoke(r) => (&r.privileges, &r.objects, &r.grantees),
        other => panic!("not a grant: {other}"),
    };
    let privilege_count = match privileges {
        Privileges::All { .. } => 1,
        Privileges::Actions(actions) => actions.len(),
    };
    let names = match objects {
        Some(
            GrantObjects::Databases(n)
            | GrantObjects::Schemas(n)
            | GrantObjects::Tables(n)
            | GrantObjects::Views(n)
            | GrantObjects::AllTablesInSchema { schemas: n }
            | GrantObjects::FutureTablesInSchema { schemas: n },
        ) => n.iter().map(ToString::to_string).collect(),
        _ => Vec::new(),
    };
    let grantees = grantees
        .iter()
        .map(|g: &Grantee| {
            g.name
                .as_ref()
                .map_or("PUBLIC".to_owned(), ToString::to_string)
        })
        .collect();
    (privilege_count, names, grantees)
}

fn ours(sql: &str, dialect: Dialect) -> (usize, Vec<String>, Vec<String>) {
    let found = statements(sql, dialect);
    let [statement] = found.as_slice() else {
        panic!("{sql}: {found:?}")
    };
    let StatementKind::Grant(grant) = &statement.kind else {
        panic!("{sql}: {:?}", statement.kind)
    };
    let names = if grant.object.kind == envlint_sql::ObjectKind::Role {
        Vec::new()
    } else {
        grant.object.names.iter().map(Name::display).collect()
    };
    let privileges = if grant.object.kind == envlint_sql::ObjectKind::Role {
        1
    } else {
        grant.privileges.len()
    };
    let grantees = grant.grantees.iter().map(|g| g.name.display()).collect();
    (privileges, names, grantees)
}

fn agree(cases: &[&str], dialect: Dialect, sql_dialect: &dyn sqlparser::dialect::Dialect) {
    for sql in cases {
        let parsed = Parser::parse_sql(sql_dialect, sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
        let (count, names, grantees) = reference(&parsed[0]);
        let role_grant =
            names.is_empty() && sql.to_ascii_uppercase().contains("ROLE ") && !sql.contains(" ON ");
        let expected = (if role_grant { 1 } else { count }, names, grantees);
        assert_eq!(ours(sql, dialect), expected, "{sql}");
    }
}

#[test]
fn snowflake_grants_agree_with_sqlparser() {
    agree(SNOWFLAKE, Dialect::Snowflake, &SnowflakeDialect {});
}

#[test]
fn postgres_grants_agree_with_sqlparser() {
    agree(POSTGRES, Dialect::Postgres, &PostgreSqlDialect {});
}

#[test]
fn redshift_grants_agree_with_sqlparser() {
    agree(REDSHIFT, Dialect::Redshift, &RedshiftSqlDialect {});
}
