//! What a rule is: its [`RuleMeta`], declared once with `declare_rule!`, and a check over
//! the context.

use crate::context::Context;
use crate::meta::RuleMeta;

/// A rule. Rules are pure: they read the [`Context`] and report; they never do I/O.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &mut Context<'_>);
}

/// Declares a rule's struct and its [`RuleMeta`] from its doc comment and its data: the
/// fix it can offer (`fix = Safe` or `Unsafe`), and the flags `needs_resolution = true`
/// and `judges_suppressions = true`, all optional, in that order.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident;
        code = $code:literal, name = $rule_name:literal, severity = $severity:ident,
        summary = $summary:literal
        $(, fix = $fix:ident)?
        $(, needs_resolution = $needs_resolution:literal)?
        $(, judges_suppressions = $judges_suppressions:literal)?
        $(,)?
    ) => {
        $(#[doc = $doc])*
        pub(crate) struct $name;

        impl $name {
            pub(crate) const META: $crate::meta::RuleMeta = $crate::meta::RuleMeta {
                code: $code,
                name: $rule_name,
                severity: envlint_diagnostics::Severity::$severity,
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
                fix: $crate::rule::declare_rule!(@fix $($fix)?),
                needs_resolution: false $(|| $needs_resolution)?,
                judges_suppressions: false $(|| $judges_suppressions)?,
            };
        }

        impl $crate::rule::Rule for $name {
            fn meta(&self) -> &'static $crate::meta::RuleMeta {
                &Self::META
            }

            fn check(&self, cx: &mut $crate::context::Context<'_>) {
                self.run(cx);
            }
        }
    };
    (@fix) => { None };
    (@fix $fix:ident) => { Some(envlint_diagnostics::Applicability::$fix) };
}

pub(crate) use declare_rule;
