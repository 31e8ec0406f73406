"""Runs the jobs `dbt-envlint init --scaffold` wrote, as GitHub would, against a DuckDB file.

    python scripts/scaffold-jobs.py BINARY DBT_BIN_DIR   (run by scripts/scaffold-check)

A project whose three targets write one local DuckDB file (dev `dev_<user>`, CI
`pr_<number>`, prod `main`, custom schemas as `<schema>_marts` outside prod) is scaffolded,
then the workflows' `run:` steps are executed in order with each job's and step's `env:`
(the `${{ }}` expressions GitHub would fill are filled, `gh pr list` answers with the open
pull requests, `pip install` is skipped: dbt comes from DBT_BIN_DIR): a developer's build,
the PR builds of PR 7 and PR 8, the teardown of PR 7, the deploy, and the nightly cleanup
with PR 8 still open. Then the DuckDB file must hold prod's and PR 8's schemas, the dev one,
and nothing of PR 7. Needs PyYAML (dbt's venv has it).
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


def schemas(project: Path, python: str) -> list[str]:
    query = ("import duckdb; print(' '.join(sorted(r[0] for r in duckdb.connect("
             "'warehouse.duckdb', read_only=True).sql('select schema_name from "
             "information_schema.schemata where catalog_name = current_database()').fetchall())))")
    out = subprocess.run([python, "-c", query], cwd=project, check=True, capture_output=True,
                         text=True)
    return out.stdout.split()


def main() -> int:
    binary, dbt_bin = str(Path(sys.argv[1]).resolve()), Path(sys.argv[2]).resolve()
    with tempfile.TemporaryDirectory(prefix="scaffold-jobs-") as tmp:
        project = Path(tmp) / "shop"
        write(project / "dbt_project.yml", PROJECT)
        write(project / "profiles.yml", PROFILES)
        write(project / "macros" / "generate_schema_name.sql", SCHEMA_MACRO)
        write(project / "models" / "stg_orders.sql", "select 1 as id, 10 as amount\n")
        write(project / "models" / "marts" / "fct_revenue.sql",
              "select sum(amount) as revenue from {{ ref('stg_orders') }}\n")
        subprocess.run(["git", "init", "-q", str(project)], check=True)
        subprocess.run([binary, "init", "--scaffold", str(project)], check=True,
                       capture_output=True)
        gh = Path(tmp) / "bin" / "gh"
        # `gh pr list ... --jq 'map("pr_\(.number)") | join(", ")'` with PR 8 open.
        write(gh, "#!/bin/sh\necho pr_8\n")
        gh.chmod(0o755)
        summary = Path(tmp) / "step_summary.md"
        env = {"PATH": f"{gh.parent}:{dbt_bin}:{Path(binary).parent}:{os.environ['PATH']}",
               "HOME": tmp, "USER": "runner", "DO_NOT_TRACK": "1",
               "GITHUB_STEP_SUMMARY": str(summary)}
        developer = subprocess.run(
            [str(dbt_bin / "dbt"), "build", "--target", "dev"], cwd=project,
            env={**env, "USER": "ann", "DBT_PROFILES_DIR": "."}, capture_output=True, text=True)
        if developer.returncode != 0:
            raise SystemExit(f"scaffold-jobs: a developer's build failed:\n{developer.stdout}")
        for number in ("7", "8"):
            run_job(project, "dbt-pr.yml", {"github.event.number": number}, env)
        if "```mermaid" not in summary.read_text():
            raise SystemExit("scaffold-jobs: the PR job wrote no report to the job summary")
        run_job(project, "dbt-pr-teardown.yml", {"github.event.number": "7"}, env)
        torn = schemas(project, str(dbt_bin / "python"))
        if any(s.startswith("pr_7") for s in torn):
            raise SystemExit(f"scaffold-jobs: the teardown of PR 7 left {torn}")
        run_job(project, "dbt-deploy.yml", {"github.sha": "abc123"}, env)
        run_job(project, "dbt-nightly-cleanup.yml", {"github.token": "not-a-real-token"}, env)
        left = schemas(project, str(dbt_bin / "python"))
        expected = ["dev_ann", "dev_ann_marts", "main", "marts", "pr_8", "pr_8_marts"]
        if left != expected:
            raise SystemExit(f"scaffold-jobs: schemas left {left}, expected {expected}")
        print("scaffold-check: the scaffolded jobs ran with real dbt on DuckDB: PR 7 torn "
              "down, PR 8 kept while open, prod and dev built")
    return 0


if __name__ == "__main__":
    sys.exit(main())
