//! ENV004 suppression-without-reason: a suppression comment that does not say why, when the
//! policy requires reasons.

use crate::context::Context;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// When the policy sets `require-reason: true` (the `strict` preset does), flags a
    /// suppression comment with no text after its brackets:
    /// `# envlint: ignore[ENV102]`. Without that setting the rule reports nothing.
    ///
    /// It is a rule of its own rather than part of ENV003 because the two ask for different
    /// things: ENV003 says a comment does nothing and should go, ENV004 says a comment that
    /// works must explain itself; each can be turned off or raised on its own.
    ///
    /// ## Why is this bad?
    /// A suppression is an exception to the environment contract. Without a reason, the
    /// next reader cannot tell a deliberate, reviewed exception (a shared sandbox schema
    /// agreed by the team) from a finding someone silenced to make CI green.
    ///
    /// ## Example
    /// ```yaml
    /// dev:
    ///   # envlint: ignore[ENV102]
    ///   schema: sandbox
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// dev:
    ///   # envlint: ignore[ENV102] sandbox shared by the two analysts, agreed in #412
    ///   schema: sandbox
    /// ```
    pub struct SuppressionWithoutReason;
    code = "ENV004", name = "suppression-without-reason", severity = Warning,
    summary = "a suppression comment without a reason, when the policy sets `require-reason`",
    judges_suppressions = true,
}

impl SuppressionWithoutReason {
    fn run(&self, cx: &mut Context<'_>) {
        if !cx.policy.require_reason {
            return;
        }
        for comment_use in cx.suppressions {
            let comment = comment_use.comment;
            if comment.reason.is_some() {
                continue;
            }
            let diag = cx
                .diagnostic(
                    "suppression comment without a reason",
                    comment.span,
                    "why is this finding acceptable?",
                )
                .with_help(
                    "say why after the brackets: `envlint: ignore[ENV102] shared sandbox, agreed in #412`",
                );
            cx.report(diag);
        }
    }
}
