//! What each dbt adapter reads from a target, as dbt-labs and the adapter authors document
//! it: the fields holding a secret or naming a key file, the keys that name its database
//! and schema and what they are when left out, how its warehouse is named, and the logins
//! that are whoever runs dbt. One table for the parser, the rules and `explain`.

/// One adapter (`type:`).
#[derive(Debug)]
pub struct Adapter {
    /// The `type:` values that select it.
    pub names: &'static [&'static str],
    /// Fields whose value is a secret itself (at any depth of the target: `settings:`,
    /// `keyfile_json:`, `secrets:` entries).
    pub secrets: &'static [&'static str],
    /// Fields whose value names a file holding the credential.
    pub key_files: &'static [&'static str],
    /// Keys naming the database, the first one present wins. Empty where a relation has no
    /// database part (Spark and ClickHouse: `database`, if given, must equal the schema).
    pub database_keys: &'static [&'static str],
    /// The database when no key names one.
    pub default_database: Option<&'static str>,
    /// Keys naming the schema, the first one present wins.
    pub schema_keys: &'static [&'static str],
    /// The schema when no key names one.
    pub default_schema: Option<&'static str>,
    /// A suffix of the server name that changes nothing (Snowflake's account locator is
    /// the same account with or without `.snowflakecomputing.com`).
    pub server_suffix: Option<&'static str>,
    /// Logins taken from the machine that runs dbt rather than from a field.
    pub logins: &'static [Login],
}

/// A login chosen by a field (`method: oauth`) and supplied by the machine that runs dbt.
#[derive(Debug)]
pub struct Login {
    /// The field that chooses it, and the values (lower case) that do.
    pub key: &'static str,
    pub values: &'static [&'static str],
    /// Fields that make it something else when present (a service principal's
    /// `client_secret`, a named `iam_profile`).
    pub absent: &'static [&'static str],
    /// Fields that must be present too (`impersonate_service_account`).
    pub present: &'static [&'static str],
    /// What supplies it, for messages: `the gcloud login of whoever runs dbt`; followed by
    /// the value of the first `present` field, when there is one.
    pub source: &'static str,
    /// Whether it writes as the person who runs dbt (false: it acts as a service account
    /// that person may use).
    pub personal: bool,
}

/// Secrets every adapter's profile may hold (connection parameters passed through, generic
/// names). A key that is a secret for one adapter is read as one for all.
const COMMON_SECRETS: &[&str] = &[
    "password",
    "pass",
    "token",
    "secret",
    "private_key",
    "private_key_passphrase",
    "client_secret",
    "access_token",
    "refresh_token",
    "api_key",
    "auth_token",
];

const COMMON_KEY_FILES: &[&str] = &["keyfile", "private_key_path", "key_path", "token_path"];

const SCHEMA: &[&str] = &["schema"];
const DATABASE: &[&str] = &["database", "dbname"];

/// Every adapter the table knows. Unknown adapters read `database`/`dbname` and `schema`
/// with no defaults, and the common secrets.
pub const ADAPTERS: &[Adapter] = &[
    Adapter {
        names: &["snowflake"],
        secrets: &[
            "password",
            "private_key",
            "private_key_passphrase",
            "token",
            "oauth_client_secret",
        ],
        key_files: &["private_key_path"],
        database_keys: DATABASE,
        default_database: None,
        schema_keys: SCHEMA,
        default_schema: None,
        server_suffix: Some(".snowflakecomputing.com"),
        logins: &[Login {
            key: "authenticator",
            values: &["externalbrowser"],
            absent: &[],
            present: &[],
            source: "the browser SSO login of whoever runs dbt",
            personal: true,
        }],
    },
    Adapter {
        names: &["bigquery"],
        secrets: &["private_key", "token", "refresh_token", "client_secret"],
        key_files: &["keyfile"],
        database_keys: &["database", "project"],
        default_database: None,
        schema_keys: &["schema", "dataset"],
        default_schema: None,
        server_suffix: None,
        logins: &[
            Login {
                key: "method",
                values: &["oauth"],
                absent: &[],
                present: &["impersonate_service_account"],
                source: "the gcloud login of whoever runs dbt, acting as the service account",
                personal: false,
            },
            Login {
                key: "method",
                values: &["oauth"],
                absent: &["impersonate_service_account"],
                present: &[],
                source: "the gcloud login of whoever runs dbt (`method: oauth`)",
                personal: true,
            },
        ],
    },
    Adapter {
        names: &["databricks"],
        secrets: &["token", "client_secret", "azure_client_secret", "password"],
        key_files: &[],
        database_keys: &["catalog", "database"],
        default_database: Some("hive_metastore"),
        schema_keys: SCHEMA,
        default_schema: None,
        server_suffix: None,
        logins: &[
            Login {
                key: "auth_type",
                values: &["oauth", "external-browser"],
                absent: &["client_secret", "azure_client_secret"],
                present: &[],
                source: "the Databricks browser login (OAuth U2M) of whoever runs dbt",
                personal: true,
            },
            Login {
                key: "auth_type",
                values: &["databricks-cli", "azure-cli"],
                absent: &[],
                present: &[],
                source: "the CLI login of whoever runs dbt",
                personal: true,
            },
        ],
    },
    Adapter {
        names: &["redshift"],
        secrets: &[
            "password",
            "pass",
            "secret_access_key",
            "access_key_id",
            "azure_client_secret",
        ],
        key_files: &[],
        database_keys: DATABASE,
        default_database: None,
        schema_keys: SCHEMA,
        default_schema: None,
        server_suffix: None,
        logins: &[
            Login {
                key: "method",
                values: &["iam"],
                absent: &["iam_profile", "access_key_id", "secret_access_key"],
                present: &[],
                source: "the default AWS profile of whoever runs dbt (`method: iam` without `iam_profile`)",
                personal: true,
            },
            Login {
                key: "method",
                values: &["browser_identity_center"],
                absent: &[],
                present: &[],
                source: "the IAM Identity Center browser login of whoever runs dbt",
                personal: true,
            },
        ],
    },
    Adapter {
        names: &["postgres"],
        secrets: &["password", "pass"],
        key_files: &["sslkey"],
        database_keys: DATABASE,
        default_database: None,
        schema_keys: SCHEMA,
        default_schema: None,
        server_suffix: None,
        logins: &[],
    },
    Adapter {
        names: &["trino", "starburst"],
        secrets: &["password", "jwt_token"],
        key_files: &["client_private_key", "keytab"],
        database_keys: &["database", "catalog"],
        default_database: None,
        schema_keys: SCHEMA,
        default_schema: None,
        server_suffix: None,
        logins: &[Login {
            key: "method",
            values: &["oauth", "oauth_console"],
            absent: &[],
            present: &[],
            source: "the OAuth browser login of whoever runs dbt",
            personal: true,
        }],
    },
    Adapter {
        names: &["duckdb"],
        secrets: &[
            "motherduck_token",
            "secret",
            "key_id",
            "s3_secret_access_key",
            "s3_access_key_id",
            "s3_session_token",
        ],
        key_files: &[],
        database_keys: &["database"],
        default_database: None,
        schema_keys: SCHEMA,
        default_schema: Some("main"),
        server_suffix: None,
        logins: &[],
    },
    Adapter {
        names: &["spark"],
        secrets: &["token", "password"],
        key_files: &[],
        // `database` must be left out or equal `schema` (dbt-spark rejects a profile with
        // `database` and no `schema`): it names nothing of its own.
        database_keys: &[],
        default_database: None,
        schema_keys: SCHEMA,
        default_schema: None,
        server_suffix: None,
        logins: &[],
    },
    Adapter {
        names: &["fabric", "synapse", "sqlserver"],
        secrets: &["password", "client_secret"],
        key_files: &[],
        database_keys: &["database"],
        default_database: None,
        schema_keys: SCHEMA,
        default_schema: None,
        server_suffix: None,
        logins: &[Login {
            key: "authentication",
            values: &[
                "cli",
                "activedirectoryinteractive",
                "activedirectoryintegrated",
            ],
            absent: &[],
            present: &[],
            source: "the Microsoft Entra login of whoever runs dbt",
            personal: true,
        }],
    },
    Adapter {
        names: &["clickhouse"],
        secrets: &["password"],
        key_files: &[],
        database_keys: &[],
        default_database: None,
        schema_keys: SCHEMA,
        default_schema: Some("default"),
        server_suffix: None,
        logins: &[],
    },
];

/// What an adapter none of the table's entries names reads.
pub const UNKNOWN: Adapter = Adapter {
    names: &[],
    secrets: &[],
    key_files: &[],
    database_keys: &["database", "dbname", "project", "catalog"],
    default_database: None,
    schema_keys: SCHEMA,
    default_schema: None,
    server_suffix: None,
    logins: &[],
};

/// The adapter a `type:` names (any case), or [`UNKNOWN`].
pub fn adapter(name: &str) -> &'static Adapter {
    ADAPTERS
        .iter()
        .find(|a| a.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
        .unwrap_or(&UNKNOWN)
}

/// Whether a key (lower case) holds a secret for some adapter.
pub fn is_secret_field(key: &str) -> bool {
    COMMON_SECRETS.contains(&key) || ADAPTERS.iter().any(|a| a.secrets.contains(&key))
}

/// Whether a key (lower case) names a credential file for some adapter.
pub fn is_key_file_field(key: &str) -> bool {
    COMMON_KEY_FILES.contains(&key) || ADAPTERS.iter().any(|a| a.key_files.contains(&key))
}

/// The server name as the adapter reads it, for comparing two targets: lower case, the
/// adapter's no-op suffix removed (`ACME-PROD.snowflakecomputing.com` is `acme-prod`).
pub fn server_identity(adapter: &Adapter, server: &str) -> String {
    let lower = server.trim().to_ascii_lowercase();
    let lower = lower.strip_prefix("https://").unwrap_or(&lower);
    adapter
        .server_suffix
        .and_then(|suffix| lower.strip_suffix(suffix))
        .unwrap_or(lower)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use envlint_diagnostics::looks_secret;

    use super::*;

    #[test]
    fn every_secret_field_is_masked() {
        for key in ADAPTERS
            .iter()
            .flat_map(|a| a.secrets.iter())
            .chain(COMMON_SECRETS)
        {
            assert!(looks_secret(key), "{key}");
        }
    }

    #[test]
    fn adapters_are_found_by_type_in_any_case() {
        assert_eq!(
            adapter("Databricks").default_database,
            Some("hive_metastore")
        );
        assert_eq!(adapter("synapse").names[0], "fabric");
        assert!(adapter("oracle").names.is_empty());
    }

    #[test]
    fn a_snowflake_account_is_one_account_with_or_without_its_domain() {
        let snowflake = adapter("snowflake");
        assert_eq!(
            server_identity(snowflake, "ACME-Prod.snowflakecomputing.com"),
            "acme-prod"
        );
        assert_eq!(server_identity(snowflake, "acme-prod"), "acme-prod");
        assert_eq!(
            server_identity(adapter("postgres"), "db.snowflakecomputing.com"),
            "db.snowflakecomputing.com"
        );
    }
}
