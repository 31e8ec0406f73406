"""Runs the jobs `dbt-envlint init --scaffold` wrote, as GitHub would, against a DuckDB file.

    python scripts/scaffold-jobs.py BINARY DBT_BIN_DIR   (run by scripts/scaffold-check)

A project whose three targets write one local DuckDB file (dev `dev_<user>`, CI
`pr_<number>`, prod `main`, custom schemas as `<schema>_marts` outside prod) is scaffolded,
then the workflows' `run:` steps are executed in order with each job's and step's `env:`
(the `${{ }}` expressions GitHub would fill are filled, `gh pr list` answers with the open
pull requests, `pip install` is skipped: dbt comes from DBT_BIN_DIR): the PR builds of PR 7
and PR 8, alice's dev build (its `on-run-end` hook records it), the teardown of PR 7, bob's
dev build, the deploy, and the nightly cleanup with PR 8 still open, when alice's build is
older than the policy's dev age (her recorded time is moved back: the cleanup macro decides
with the warehouse's clock). Then the DuckDB file must hold prod's schemas as the deploy
built them, PR 8's, bob's and the build registry, and nothing of PR 7 or alice.
Needs PyYAML (dbt's venv has it).
"""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

PROFILES = """shop:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: warehouse.duckdb
      schema: "dev_{{ env_var('USER') }}"
    ci:
      type: duckdb
      path: warehouse.duckdb
      schema: "pr_{{ env_var('PR_NUMBER') }}"
    prod:
      type: duckdb
      path: warehouse.duckdb
      schema: main
"""

SCHEMA_MACRO = """{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%} {{ target.schema }}
    {%- elif target.name == 'prod' -%} {{ custom_schema_name | trim }}
    {%- else -%} {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
"""

PROJECT = """name: shop
profile: shop
models:
  shop:
    marts:
      +schema: marts
      +materialized: table
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def fill(text: str, context: dict) -> str:
    """The `${{ }}` expressions of a workflow, as GitHub fills them for this run."""
    def value(match: re.Match) -> str:
        expression = match.group(1).strip()
        if expression.startswith("secrets."):
            return "not-a-real-secret"
        if expression not in context:
            raise SystemExit(f"scaffold-jobs: no value for ${{{{ {expression} }}}}")
        return context[expression]
    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def run_job(project: Path, workflow: str, context: dict, env: dict) -> None:
    spec = yaml.safe_load((project / ".github" / "workflows" / workflow).read_text())
    for name, job in spec["jobs"].items():
        job_env = {k: fill(str(v), context) for k, v in (job.get("env") or {}).items()}
        for step in job["steps"]:
            script = step.get("run")
            if script is None or script.startswith("pip install"):
                continue
            step_env = {k: fill(str(v), context) for k, v in (step.get("env") or {}).items()}
            result = subprocess.run(
                ["bash", "-e", "-c", fill(script, context)], cwd=project,
                env={**env, **job_env, **step_env}, capture_output=True, text=True)
            if result.returncode != 0:
                raise SystemExit(f"scaffold-jobs: {workflow} {name}: `{script.strip()}` failed:\n"
                                 f"{result.stdout[-3000:]}{result.stderr[-3000:]}")


def query(project: Path, python: str, sql: str) -> list[tuple]:
    """The rows of `sql` on the DuckDB file (read only)."""
    code = ("import duckdb, sys; print(repr(duckdb.connect('warehouse.duckdb', read_only=True)"
            ".sql(sys.argv[1]).fetchall()))")
    out = subprocess.run([python, "-c", code, sql], cwd=project, check=True, capture_output=True,
                         text=True)
    return eval(out.stdout)  # noqa: S307 (the repr of a list of tuples of names and strings)


def schemas(project: Path, python: str) -> list[str]:
    return sorted(r[0] for r in query(
        project, python, "select schema_name from information_schema.schemata "
                         "where catalog_name = current_database()"))


def tables(project: Path, python: str, schemas: tuple[str, ...]) -> list[tuple]:
    names = ", ".join(f"'{s}'" for s in schemas)
    return sorted(query(project, python,
                        "select table_schema, table_name, table_type from information_schema.tables"
                        f" where table_schema in ({names})"))


def expect(what: str, got, wanted) -> None:
    if got != wanted:
        raise SystemExit(f"scaffold-jobs: {what}: {got}, expected {wanted}")


def developer_build(project: Path, dbt_bin: Path, env: dict, user: str) -> None:
    """A developer's `dbt build` on the dev target, as on a laptop."""
    result = subprocess.run(
        [str(dbt_bin / "dbt"), "build", "--target", "dev"], cwd=project,
        env={**env, "USER": user, "DBT_PROFILES_DIR": "."}, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"scaffold-jobs: {user}'s dev build failed:\n{result.stdout[-3000:]}")


def main() -> int:
    binary, dbt_bin = str(Path(sys.argv[1]).resolve()), Path(sys.argv[2]).resolve()
    python = str(dbt_bin / "python")
    with tempfile.TemporaryDirectory(prefix="scaffold-jobs-") as tmp:
        project = Path(tmp) / "shop"
        write(project / "dbt_project.yml", PROJECT)
        write(project / "profiles.yml", PROFILES)
        write(project / "macros" / "generate_schema_name.sql", SCHEMA_MACRO)
        write(project / "models" / "stg_orders.sql", "select 1 as id, 10 as amount\n")
        write(project / "models" / "marts" / "fct_revenue.sql",
              "select sum(amount) as revenue from {{ ref('stg_orders') }}\n")
        subprocess.run(["git", "init", "-q", str(project)], check=True)
        init = subprocess.run([binary, "init", "--scaffold", str(project)], check=True,
                              capture_output=True, text=True)
        if "edited  " not in init.stdout or "envlint_record_build" not in (
                project / "dbt_project.yml").read_text():
            raise SystemExit(f"scaffold-jobs: the build hook was not wired:\n{init.stdout}")
        nightly = (project / ".github" / "workflows" / "dbt-nightly-cleanup.yml").read_text()
        dev_days = int(re.search(r"\{prefix: dev_, days: (\d+)\}", nightly).group(1))
        gh = Path(tmp) / "bin" / "gh"
        # `gh pr list ... --jq 'map("pr_\(.number)") | join(", ")'` with PR 8 open.
        write(gh, "#!/bin/sh\necho pr_8\n")
        gh.chmod(0o755)
        summary = Path(tmp) / "step_summary.md"
        env = {"PATH": f"{gh.parent}:{dbt_bin}:{Path(binary).parent}:{os.environ['PATH']}",
               "HOME": tmp, "USER": "runner", "DO_NOT_TRACK": "1",
               "GITHUB_STEP_SUMMARY": str(summary)}
        for number in ("7", "8"):
            run_job(project, "dbt-pr.yml", {"github.event.number": number}, env)
        if "```mermaid" not in summary.read_text():
            raise SystemExit("scaffold-jobs: the PR job wrote no report to the job summary")
        # Alice builds at time T; the nightly runs dev age + 1 days later: her recorded
        # build is moved back that far (the macro compares it with the warehouse's clock).
        developer_build(project, dbt_bin, env, "alice")
        recorded = "select schema_name from envlint_housekeeping.schema_builds order by 1"
        expect("recorded after alice's build", query(project, python, recorded),
               [("dev_alice",), ("dev_alice_marts",)])
        subprocess.run([python, "-c", (
            "import duckdb; duckdb.connect('warehouse.duckdb').sql(\"update "
            "envlint_housekeeping.schema_builds set last_built_at = last_built_at - "
            f"interval {dev_days + 1} day where starts_with(schema_name, 'dev_alice')\")")],
            cwd=project, check=True)
        run_job(project, "dbt-pr-teardown.yml", {"github.event.number": "7"}, env)
        torn = schemas(project, python)
        if any(s.startswith("pr_7") for s in torn) or "pr_8" not in torn:
            raise SystemExit(f"scaffold-jobs: the teardown of PR 7 left {torn}")
        developer_build(project, dbt_bin, env, "bob")
        run_job(project, "dbt-deploy.yml", {"github.sha": "abc123"}, env)
        prod = ("main", "marts")
        deployed = tables(project, python, prod)
        expect("the deploy built prod", deployed,
               [("main", "stg_orders", "VIEW"), ("marts", "fct_revenue", "BASE TABLE")])
        revenue = "select revenue from marts.fct_revenue"
        before = query(project, python, revenue)
        run_job(project, "dbt-nightly-cleanup.yml", {"github.token": "not-a-real-token"}, env)
        expect("schemas after the nightly", schemas(project, python),
               ["dev_bob", "dev_bob_marts", "envlint_housekeeping", "main", "marts", "pr_8",
                "pr_8_marts"])
        expect("recorded after the nightly", query(project, python, recorded),
               [("dev_bob",), ("dev_bob_marts",)])
        expect("prod after the nightly", (tables(project, python, prod),
               query(project, python, revenue)), (deployed, before))
        print("scaffold-check: the scaffolded jobs ran with real dbt on DuckDB: PR 7 torn "
              f"down, PR 8 kept while open, alice's dev schemas dropped {dev_days + 1} days "
              "after her build, bob's kept, prod built by the deploy and untouched")
    return 0


if __name__ == "__main__":
    sys.exit(main())
