"""The command line: parse options, call one function, render its result. No logic here.

Heavy modules are imported inside the commands so that `--help` stays instant.
"""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, TypeVar

import click

from kafkapilot import __version__
from kafkapilot.exit_codes import EXIT_ERROR, EXIT_FAIL_ON
from kafkapilot.report.registry import RENDERERS
from kafkapilot.severity import SEVERITIES

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["analyse_main", "main"]

F = TypeVar("F", bound=Callable[..., Any])

_SEVERITY_CHOICE: Final = click.Choice([severity.value for severity in SEVERITIES])
_FORMAT_CHOICE: Final = click.Choice(list(RENDERERS))
_FORMATS_HELP: Final = "; ".join(f"{entry.name}: {entry.description}" for entry in RENDERERS.values())
_CONTEXT: Final = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Path(click.Path):
    """click.Path giving a pathlib.Path, imported when a path is given: ``--help`` does without pathlib."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from pathlib import Path  # noqa: PLC0415

        return Path(super().convert(value, param, ctx))


def _example_dir() -> Path:
    from pathlib import Path  # noqa: PLC0415

    return Path(__file__).resolve().parent / "examples" / "example-snapshot"


def _one_line_errors(function: F) -> F:
    """Turn KafkaPilotError (and anything unexpected) into one line on stderr and exit 1."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from kafkapilot.errors import KafkaPilotError  # noqa: PLC0415

        try:
            return function(*args, **kwargs)
        except KafkaPilotError as exc:
            click.echo(f"kafkapilot: error: {exc}", err=True)
            sys.exit(EXIT_ERROR)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # never a traceback to the user
            if kwargs.get("debug"):
                raise
            click.echo(f"kafkapilot: internal error: {type(exc).__name__}: {exc} (please report it)", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


class _AliasedGroup(click.Group):
    """A group that accepts `analyze` for `analyse`."""

    aliases: Final = {"analyze": "analyse"}

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return super().get_command(ctx, self.aliases.get(cmd_name, cmd_name))

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        _, command, rest = super().resolve_command(ctx, args)
        return (command.name if command else None), command, rest


@click.group(cls=_AliasedGroup, context_settings=_CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="kafkapilot")
def main() -> None:
    """KafkaPilot tells a Kafka operator what is wrong with their cluster.

    Collect a snapshot with `ansible-playbook collect.yml -i INVENTORY`, then analyse it
    offline with `kafkapilot analyse SNAPSHOT_DIR`. Try `kafkapilot analyse --example`.
    """


@main.command("collect", context_settings=_CONTEXT)
@click.option("-i", "--inventory", required=True, multiple=True, type=_Path(exists=True),
              help="Ansible inventory of the Kafka hosts (groups kafka_brokers, kafka_controllers, zookeeper); "
                   "repeatable.")
@click.option("-l", "--limit", metavar="PATTERN", help="Only these hosts (as ansible-playbook --limit).")
@click.option("-o", "--output", type=_Path(file_okay=False),
              help="Parent folder of the snapshot directory. [default: the current folder]")
@click.option("--archive", is_flag=True, help="Also write <snapshot>.tar.gz, for sharing.")
@click.option("--become", is_flag=True,
              help="Read as root (sudo) what the SSH user cannot read (kafkapilot_become=true).")
@click.option("-K", "--ask-become-pass", is_flag=True, help="Ask for the become password (implies --become).")
@click.option("-u", "--user", metavar="USER",
              help="SSH user (as ansible-playbook -u; the inventory's ansible_user wins).")
@click.option("--private-key", type=_Path(exists=True, dir_okay=False), help="SSH private key file.")
@click.option("-f", "--forks", type=click.IntRange(min=1), help="Hosts at once. [default: ansible.cfg's]")
@click.option("--vault-id", "vault_ids", multiple=True, metavar="ID@SOURCE",
              help="A vault identity, as ansible-playbook takes it (ID@FILE, ID@prompt); repeatable.")
@click.option("--vault-password-file", "vault_password_files", multiple=True, metavar="FILE",
              help="A vault password file; repeatable (ANSIBLE_VAULT_PASSWORD_FILE works too).")
@click.option("-J", "--ask-vault-pass", "--ask-vault-password", "ask_vault_pass", is_flag=True,
              help="Ask for the vault password.")
@click.option("--check", is_flag=True, help="Ansible check mode: collects the same (every task is read-only).")
@click.option("-e", "--extra-vars", "extra_vars", multiple=True, metavar="VARS",
              help="As ansible-playbook -e: KEY=VALUE, JSON or YAML, or @FILE (repeatable; later wins).")
@click.option("--no-progress", is_flag=True, help="No live display (also when stderr is not a terminal).")
@click.option("--keep-artifacts", is_flag=True, hidden=True)
@_one_line_errors
def collect_command(**options: Any) -> None:
    """Collect a snapshot, read-only, from every host of INVENTORY (collect.yml through ansible-runner).

    Ends with the snapshot's path and the command that analyses it. Exit codes: 0 every host
    collected, 1 error (no snapshot; the playbook's error line is printed), 2 usage error,
    4 some hosts not collected, 5 no host collected (the snapshot says why).
    """
    from kafkapilot.collect.command import run_collect  # noqa: PLC0415

    sys.exit(run_collect(**options))


def _analyse_options(function: F) -> F:
    options = [
        click.argument("snapshot", required=False, type=_Path()),
        click.option("--example", is_flag=True, help="Analyse the example snapshot shipped with KafkaPilot."),
        click.option(
            "--report", "-r", "formats", multiple=True, type=_FORMAT_CHOICE,
            help=f"Report format; repeat for several (with --output). Default: terminal. ({_FORMATS_HELP})",
        ),
        click.option("--output", "-o", type=_Path(file_okay=False), help="Write reports into this directory."),
        click.option("--tasks", "task_ids", help="Only these task ids (comma-separated)."),
        click.option("--category", "categories", multiple=True, help="Only tasks of this category (repeatable)."),
        click.option("--severity-min", type=_SEVERITY_CHOICE,
                     help="Only findings of at least this severity (the health score still counts every task)."),
        click.option(
            "--fail-on", type=_SEVERITY_CHOICE,
            help=f"Exit with code {EXIT_FAIL_ON} when a finding fails at this severity or above (CI/AWX gating).",
        ),
        click.option("--param", "params", multiple=True, metavar="TASK.NAME=VALUE", help="Override a task parameter."),
        click.option("--max-archive-bytes", type=click.IntRange(min=1), metavar="BYTES",
                     help="What a .tar.gz snapshot may unpack to (members' declared sizes). [default: 2 GiB]"),
        click.option("--check-budget", type=float, metavar="SECONDS",
                     help="CPU time each check may use; a runaway check ends as that task's error. "
                          "[default: 2; 0: none]"),
        click.option("--config", "config_file", type=_Path(dir_okay=False), envvar="KAFKAPILOT_CONFIG",
                     help="Settings file (YAML). [env: KAFKAPILOT_CONFIG]"),
        click.option("--waivers", type=_Path(dir_okay=False), metavar="FILE",
                     help="Waiver file (YAML: task, host/topic/group, reason, owner, expires): waived findings count "
                          "for neither --fail-on nor the score. [default: the config's waivers:]"),
        click.option("--summary", is_flag=True,
                     help="One line per failed finding (severity, task, subjects, title) instead of the full report."),
        click.option("--tasks-dir", "tasks_dirs", multiple=True, type=_Path(file_okay=False),
                     help="Extra task directory; its tasks override built-ins by id."),
        click.option("--no-color", is_flag=True,
                     help="Plain terminal output (also when NO_COLOR is set or not a TTY)."),
        *_llm_options(),
        click.option("--no-cache", is_flag=True, help="Ask the model again instead of reusing cached answers."),
        click.option("--llm-debug", "llm_debug", type=_Path(dir_okay=False), metavar="FILE",
                     help="Record every LLM request and response, exactly as sent, in FILE (JSON lines)."),
        click.option("--concurrency", type=int, metavar="N",
                     help="LLM calls in flight at once. [default: the server's slots; 1 for a self-hosted server "
                          "that does not say; 8 for a provider]"),
        click.option("--context-window", type=click.IntRange(min=1), metavar="N",
                     help="The model's context in tokens, when neither its server nor litellm's model map says."),
        click.option("--llm-deadline", type=float, metavar="SECONDS",
                     help="Deadline of the whole LLM phase; calls still running then end as their task's error. "
                          "[default: 600]"),
        click.option("--max-tokens-per-request", type=int, metavar="N",
                     help="Token budget of every LLM call, over the tasks' own max_tokens_per_request."),
        click.option("--debug", is_flag=True, hidden=True),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _llm_options() -> list[Callable[[F], F]]:
    """--model, --api-base, --llm-timeout: shared by `analyse` and `llm check` (also settable in the config's llm:)."""
    return [
        click.option("--model", envvar="KAFKAPILOT_MODEL", metavar="MODEL",
                     help="litellm model for prompt tasks, e.g. openai/gpt-4o-mini, anthropic/claude-sonnet-4-5, "
                          "ollama_chat/llama3.1. Keys come from the provider's usual variables or .env. [env: "
                          "KAFKAPILOT_MODEL]"),
        click.option("--api-base", metavar="URL", help="Base URL of the model's API (Ollama, vLLM, a proxy, Azure …)."),
        click.option("--llm-timeout", type=float, metavar="SECONDS", help="Timeout of one LLM call. [default: 120]"),
    ]


def _llm_options_decorator(function: F) -> F:
    for option in reversed(_llm_options()):
        function = option(function)
    return function


@main.command("analyse", context_settings=_CONTEXT)
@_analyse_options
@_one_line_errors
def analyse_command(**options: Any) -> None:
    """Analyse a snapshot directory (or .tar.gz) and print or write a report.

    Works offline: checks decided by facts run here; checks that need an LLM run
    with --model (any litellm model), else they are listed as skipped with how to enable them.
    """
    from kafkapilot.cli_analyse import run_analyse  # noqa: PLC0415

    sys.exit(run_analyse(example_dir=_example_dir(), **options))


@main.group("tasks", context_settings=_CONTEXT)
def tasks_group() -> None:
    """Browse, validate and scaffold analysis tasks."""


@tasks_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json"]), default="table", show_default=True)
@click.option("--tasks-dir", "tasks_dirs", multiple=True, type=_Path(file_okay=False))
@_one_line_errors
def tasks_list(fmt: str, tasks_dirs: tuple[Path, ...]) -> None:
    """List the tasks (markdown output is analysis_tasks/CATALOG.md)."""
    from kafkapilot.cli_tasks import list_tasks  # noqa: PLC0415

    sys.exit(list_tasks(fmt, tasks_dirs))


@tasks_group.command("show")
@click.argument("task_id")
@click.option("--tasks-dir", "tasks_dirs", multiple=True, type=_Path(file_okay=False))
@_one_line_errors
def tasks_show(task_id: str, tasks_dirs: tuple[Path, ...]) -> None:
    """Show one task: what it checks, its parameters, remediation and references."""
    from kafkapilot.cli_tasks import show_task  # noqa: PLC0415

    sys.exit(show_task(task_id, tasks_dirs))


@tasks_group.command("validate")
@click.argument("paths", nargs=-1, type=_Path(exists=True))
@_one_line_errors
def tasks_validate(paths: tuple[Path, ...]) -> None:
    """Validate task files or directories (default: the built-in tasks). Exit 1 if any is invalid."""
    from kafkapilot.cli_tasks import validate_tasks  # noqa: PLC0415

    sys.exit(validate_tasks(paths))


@tasks_group.command("test")
@click.argument("task_id")
@click.argument("snapshot", type=_Path(exists=True))
@click.option("--tasks-dir", "tasks_dirs", multiple=True, type=_Path(file_okay=False),
              help="Extra task directory; its tasks override built-ins by id.")
@click.option("--param", "params", multiple=True, metavar="TASK.NAME=VALUE", help="Override a task parameter.")
@click.option("--config", "config_file", type=_Path(dir_okay=False, exists=True), envvar="KAFKAPILOT_CONFIG",
              help="Settings file (YAML).")
@click.option("--model", envvar="KAFKAPILOT_MODEL", help="litellm model: a prompt task is sent only with one.")
@click.option("--api-base", metavar="URL", help="Base URL of the model's API.")
@_one_line_errors
def tasks_test(task_id: str, snapshot: Path, **options: Any) -> None:
    """Run one task on SNAPSHOT and print its result; for a prompt task, first the prompt that would be sent."""
    from kafkapilot.cli_tasks_test import run_task_test  # noqa: PLC0415

    sys.exit(run_task_test(task_id=task_id, snapshot=snapshot, **options))


@tasks_group.command("new")
@click.argument("task_id")
@click.option("--category", default="configuration", show_default=True)
@click.option("--scope", "applies_to", default="broker", show_default=True,
              type=click.Choice(["broker", "controller", "kafka_node", "zookeeper", "host", "cluster"]))
@click.option("--dir", "directory", type=_Path(file_okay=False), help="Where to write (default: the tasks directory).")
@_one_line_errors
def tasks_new(task_id: str, category: str, applies_to: str, directory: Path | None) -> None:
    """Write a new task file from a template, ready to edit."""
    from kafkapilot.cli_tasks import new_task  # noqa: PLC0415

    sys.exit(new_task(task_id, category, applies_to, directory))


@main.group("llm", context_settings=_CONTEXT)
def llm_group() -> None:
    """Check the LLM configuration used by prompt tasks."""


@llm_group.command("check")
@_llm_options_decorator
@click.option("--config", "config_file", type=_Path(dir_okay=False), envvar="KAFKAPILOT_CONFIG",
              help="Settings file (YAML). [env: KAFKAPILOT_CONFIG]")
@_one_line_errors
def llm_check(**options: Any) -> None:
    """Send one tiny request; report the model, the latency and whether structured output works."""
    from kafkapilot.llm.check import run_check  # noqa: PLC0415

    sys.exit(run_check(**options))


@main.group("snapshot", context_settings=_CONTEXT)
def snapshot_group() -> None:
    """Inspect snapshots and their format."""


@snapshot_group.command("info")
@click.argument("snapshot", type=_Path())
@_one_line_errors
def snapshot_info(snapshot: Path) -> None:
    """Hosts, processes and artifacts of a snapshot, with what was not collected."""
    from kafkapilot.cli_snapshot import show_info  # noqa: PLC0415

    sys.exit(show_info(snapshot))


@snapshot_group.command("schema")
def snapshot_schema() -> None:
    """Print the JSON Schema of snapshot.json."""
    from kafkapilot.cli_snapshot import print_schema  # noqa: PLC0415

    sys.exit(print_schema())


@click.command("kafkapilot-analyse", context_settings=_CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="kafkapilot-analyse")
@_analyse_options
@_one_line_errors
def analyse_main(**options: Any) -> None:
    """Analyse a KafkaPilot snapshot (same as `kafkapilot analyse`).

    Try it on the shipped example: kafkapilot-analyse --example
    """
    from kafkapilot.cli_analyse import run_analyse  # noqa: PLC0415

    sys.exit(run_analyse(example_dir=_example_dir(), **options))


main.add_command(importlib.import_module("kafkapilot.cli_diff").diff_command)
