//! ENV205 unevaluable-naming-macro: a naming macro override dbt-envlint could not evaluate.

use crate::context::Context;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports, once per macro, a `generate_schema_name`, `generate_database_name` or
    /// `generate_alias_name` override that dbt-envlint could not evaluate for some node
    /// (it calls something unknown in a way that cannot be followed, hands the name to
    /// `adapter.dispatch(...)`, reaches `exceptions.raise_compiler_error(...)`, returns
    /// `none`, or runs too long). The affected names show as `generate_schema_name(...)` in `explain`, and
    /// rules that compare relations cannot prove anything about them.
    ///
    /// ## Why is this bad?
    /// It is not a mistake in the project: it says where dbt-envlint's view is incomplete,
    /// rather than staying silent about it.
    ///
    /// ## Example
    /// ```sql
    /// {% macro generate_schema_name(custom_schema_name, node) -%}
    ///     {{ return(none) }}
    /// {%- endmacro %}
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// {% macro generate_schema_name(custom_schema_name, node) -%}
    ///     {{ target.schema }}
    /// {%- endmacro %}
    /// ```
    pub struct UnevaluableNamingMacro;
    code = "ENV205", name = "unevaluable-naming-macro", severity = Info,
    summary = "a naming macro override that could not be evaluated statically (info)",
    needs_resolution = true,
}

impl UnevaluableNamingMacro {
    fn run(&self, cx: &mut Context<'_>) {
        let resolution = cx.resolution;
        for project in &resolution.projects {
            for (span, reason) in &project.failures {
                let diag = cx
                    .diagnostic(format!("this naming macro could not be evaluated: {reason}"), *span, "not evaluated")
                    .with_help("relations built with it are shown as opaque; simplify the macro or ignore this rule");
                cx.report(diag);
            }
        }
    }
}
