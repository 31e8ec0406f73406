#!/usr/bin/env python3
"""Runs the `run:` steps of this repository's composite action.yml as GitHub would.

For the packaging test: `uses:` steps (the SARIF upload) are skipped and reported;
`${{ inputs.* }}`, `${{ github.action_path }}`, `${{ github.action_ref }}` (`--action-ref`;
empty by default, as for `uses: ./`), `${{ runner.temp }}` and
`${{ steps.<id>.outputs.* }}` are filled in; GITHUB_PATH, GITHUB_OUTPUT and
GITHUB_STEP_SUMMARY (RUNNER_TEMP/step_summary.md) work. A `run:`
script may not contain `${{ }}` itself (inputs reach it through `env:` only, so none can
inject a command), and an expression this runner does not know is an error, not "".

usage: run-action.py RUNNER_TEMP [--action-ref REF] [--input NAME=VALUE]...   (needs PyYAML, which pre-commit
brings into target/integrations-venv)
exit code: that of the first failing step, else 0.
"""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXPRESSION = re.compile(r"\$\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")


def main() -> int:
    parser = argparse.ArgumentParser(description="Runs action.yml's run: steps.")
    parser.add_argument("runner_temp", type=Path)
    parser.add_argument("--input", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--action-ref", default="", metavar="REF")
    options = parser.parse_args()
    runner_temp = options.runner_temp.resolve()
    overrides = dict(item.split("=", 1) for item in options.input)
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    unknown = set(overrides) - set(inputs)
    if unknown:
        sys.exit(f"run-action: no such inputs: {sorted(unknown)}")
    inputs.update(overrides)
    context = {f"inputs.{k}": str(v) for k, v in inputs.items()}
    context["github.action_path"] = str(ROOT)
    context["github.action_ref"] = options.action_ref
    context["runner.temp"] = str(runner_temp)
    runner_temp.mkdir(parents=True, exist_ok=True)
    path_file = runner_temp / "github_path"
    path_file.write_text("")
    summary_file = runner_temp / "step_summary.md"
    summary_file.write_text("")
    env = dict(os.environ, GITHUB_PATH=str(path_file), GITHUB_STEP_SUMMARY=str(summary_file))

    def fill(text: str) -> str:
        def lookup(match: re.Match) -> str:
            if match.group(1) not in context:
                sys.exit(f"run-action: unknown expression {match.group(0)}")
            return context[match.group(1)]

        return EXPRESSION.sub(lookup, str(text))

    for step in action["runs"]["steps"]:
        name = step.get("name", "step")
        if "uses" in step:
            print(f"run-action: skipped `{name}` (uses {step['uses']})", flush=True)
            continue
        if "${{" in step["run"]:
            sys.exit(f"run-action: `{name}` expands an expression in its script")
        output_file = runner_temp / "github_output"
        output_file.write_text("")
        step_env = dict(env, GITHUB_OUTPUT=str(output_file))
        step_env.update({k: fill(v) for k, v in step.get("env", {}).items()})
        extra_path = [line for line in path_file.read_text().splitlines() if line]
        step_env["PATH"] = os.pathsep.join([*reversed(extra_path), env["PATH"]])
        code = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            env=step_env,
        ).returncode
        if code != 0:
            print(f"run-action: `{name}` exited {code}", flush=True)
            return code
        for line in output_file.read_text().splitlines():
            key, _, value = line.partition("=")
            context[f"steps.{step.get('id')}.outputs.{key}"] = value
    return 0


if __name__ == "__main__":
    sys.exit(main())
