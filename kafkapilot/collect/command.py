"""The `kafkapilot collect` command: options in, one run of collect.yml, the snapshot path out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

__all__ = ["run_collect"]

#: ansible-playbook's prompts (as ansible-runner matches them) for the passwords asked up front
_VAULT_PROMPT = r"^Vault password:\s*?$"
_BECOME_PROMPT = r"^BECOME password.*:\s*?$"


def _ask(what: str) -> str:
    """A password from the terminal (not echoed), or one line of stdin when it is not a terminal (CI)."""
    if sys.stdin.isatty():
        return str(click.prompt(what, hide_input=True, err=True))
    return sys.stdin.readline().rstrip("\r\n")


def _passwords(vault_ids: tuple[str, ...], *, ask_vault_pass: bool, ask_become_pass: bool) -> dict[str, str]:
    """Ask, before the live display starts, for what ansible-playbook will prompt for; prompt -> answer.

    In the order ansible-playbook asks: the become password, then the vault passwords.
    """
    import re  # noqa: PLC0415

    answers: dict[str, str] = {}
    if ask_become_pass:  # ansible-playbook asks for it first
        answers[_BECOME_PROMPT] = _ask("BECOME password")
    if ask_vault_pass or "prompt" in vault_ids:
        answers[_VAULT_PROMPT] = _ask("Vault password")
    for vault_id in vault_ids:
        label, _, source = vault_id.rpartition("@")
        if source == "prompt" and label:
            answers[rf"^Vault password \({re.escape(label)}\):\s*?$"] = _ask(f"Vault password ({label})")
    return answers


def run_collect(
    *,
    inventory: tuple[Path, ...],
    limit: str | None,
    output: Path | None,
    archive: bool,
    become: bool,
    check: bool,
    extra_vars: tuple[str, ...],
    no_progress: bool,
    keep_artifacts: bool,
    vault_ids: tuple[str, ...] = (),
    vault_password_files: tuple[str, ...] = (),
    ask_vault_pass: bool = False,
    user: str | None = None,
    private_key: Path | None = None,
    ask_become_pass: bool = False,
    forks: int | None = None,
) -> int:
    """Run the collection; print the snapshot's path and how to analyse it; return the exit code."""
    from kafkapilot.collect.runner import AnsibleOptions, collect  # noqa: PLC0415 - ansible-runner is heavy

    variables: dict[str, Any] = {}
    if archive:
        variables["kafkapilot_archive"] = True
    if become or ask_become_pass:
        variables["kafkapilot_become"] = True
    ansible = AnsibleOptions(
        extra_vars=extra_vars, vault_ids=vault_ids, vault_password_files=vault_password_files,
        ask_vault_pass=ask_vault_pass, user=user, private_key=str(private_key) if private_key else None,
        ask_become_pass=ask_become_pass, forks=forks,
        passwords=_passwords(vault_ids, ask_vault_pass=ask_vault_pass, ask_become_pass=ask_become_pass))
    show = not no_progress and sys.stderr.isatty()
    result = collect(list(inventory), limit=limit, output=output, extra_vars=variables, check=check, ansible=ansible,
                     show_progress=show, keep_artifacts=keep_artifacts,
                     notice=lambda line: click.echo(f"kafkapilot: {line}", err=True))
    summary = result.summary or {}
    hosts = summary.get("hosts", {})
    counts: dict[str, int] = {}
    for status in hosts.values():
        counts[status] = counts.get(status, 0) + 1
    click.echo(f"collected {len(hosts)} hosts in {result.seconds}s: "
               + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())), err=True)
    for host, reason in sorted((summary.get("reasons") or {}).items()):
        click.echo(f"  {host}: {hosts.get(host)}: {reason}", err=True)
    if summary.get("outcome"):
        click.echo(str(summary["outcome"]), err=True)
    click.echo(f"redactions: {summary.get('redactions_total', 0)}", err=True)
    if summary.get("archive"):
        click.echo(f"archive: {summary['archive']}", err=True)
    click.echo(f"snapshot: {result.snapshot}", err=True)
    click.echo(f"analyse it: kafkapilot-analyse {result.snapshot}", err=True)
    click.echo(result.snapshot)
    return result.exit_code
