//! The three environments and how targets are sorted into them.

use std::fmt;

/// Where a target belongs in the dev / CI / prod contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Environment {
    Dev,
    Ci,
    Prod,
}

impl Environment {
    pub const ALL: [Self; 3] = [Self::Dev, Self::Ci, Self::Prod];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dev => "dev",
            Self::Ci => "ci",
            Self::Prod => "prod",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == text)
    }

    /// Classifies a target by its name: `dev`, `local`, `dev_*` are dev; `ci`, `test`,
    /// `pr`, `pr_*`, `staging` are CI; `prod`, `production`, `prd`, `main` are prod.
    pub fn from_target_name(name: &str) -> Option<Self> {
        let name = name.to_ascii_lowercase();
        let has = |stem: &str| {
            name == stem
                || [format!("{stem}_"), format!("{stem}-")]
                    .iter()
                    .any(|prefix| name.starts_with(prefix.as_str()))
        };
        if ["prod", "production", "prd", "main"].iter().any(|s| has(s)) {
            Some(Self::Prod)
        } else if ["ci", "test", "testing", "pr", "staging", "stage"]
            .iter()
            .any(|s| has(s))
            || (name.starts_with("pr") && name[2..].chars().all(|c| c.is_ascii_digit()))
        {
            Some(Self::Ci)
        } else if ["dev", "local", "development"].iter().any(|s| has(s)) {
            Some(Self::Dev)
        } else {
            None
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Environment::{self, Ci, Dev, Prod};

    #[test]
    fn names_classify_like_the_design_says() {
        let cases = [
            ("dev", Some(Dev)),
            ("dev_alice", Some(Dev)),
            ("local", Some(Dev)),
            ("ci", Some(Ci)),
            ("test", Some(Ci)),
            ("pr", Some(Ci)),
            ("pr_123", Some(Ci)),
            ("staging", Some(Ci)),
            ("prod", Some(Prod)),
            ("PROD", Some(Prod)),
            ("production", Some(Prod)),
            ("prd", Some(Prod)),
            ("main", Some(Prod)),
            ("prod-read-only", Some(Prod)),
            ("snowflake", None),
            ("developer_tools", None),
            ("preview", None),
        ];
        for (name, expected) in cases {
            assert_eq!(Environment::from_target_name(name), expected, "{name}");
        }
    }
}
