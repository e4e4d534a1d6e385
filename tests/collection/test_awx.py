"""What docs/awx.md promises, without AWX and without the lab: a job run the way AWX runs it
(tests/collection/awx.py: ansible-runner over AWX's private data directory, the inventory as AWX's
inventory script, the survey's answers as extra variables) publishes the snapshot in the job's
artifacts and PUTs the archive to kafkapilot_destination; the survey's variables are the role's
settings; nothing relies on inventory_dir. The lab test (test_lab_collection.py) runs such a job
through the bastion, with the key only in the job's ssh-agent and the archive copied to a directory.
"""

from __future__ import annotations

import json
import re
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

from tests.collection.awx import ROOT, run_job

pytestmark = pytest.mark.integration  # runs ansible-runner and ansible-playbook

SURVEY = json.loads((ROOT / "docs" / "awx-survey.json").read_text())
SPECS = yaml.safe_load((ROOT / "roles" / "collect" / "meta" / "argument_specs.yml").read_text())
OPTIONS = SPECS["argument_specs"]["main"]["options"]


def survey_answers(**answers: object) -> dict[str, object]:
    """The extra variables AWX sends for the survey: each question's default unless answered."""
    found = {q["variable"]: q["default"] for q in SURVEY["spec"]}
    found.update(answers)
    return found


def test_the_survey_asks_for_the_roles_settings_with_their_types() -> None:
    kinds = {"text": ("str", "path"), "integer": ("int", "float"), "float": ("float",),
             "multiplechoice": ("bool", "str")}
    assert [q["variable"] for q in SURVEY["spec"]] == ["kafkapilot_cluster_name", "kafkapilot_become",
                                                         "kafkapilot_log_window_hours", "kafkapilot_destination"]
    for question in SURVEY["spec"]:
        option = OPTIONS[question["variable"]]
        assert option["type"] in kinds[question["type"]], question
        if option["type"] == "bool":
            assert sorted(question["choices"]) == ["false", "true"], question  # the strings AWX sends
        assert question["variable"] in question["question_description"]


def test_nothing_relies_on_inventory_dir_or_playbook_dir() -> None:
    """AWX hands every job its inventory as a script in the job's private folder: inventory_dir is never
    the project, so neither the collection nor the examples may build a path from it; nor from
    playbook_dir, the imported collection playbook's folder (the job below shows both)."""
    files = [ROOT / "collect.yml", ROOT / "inventory.example", ROOT / "ssh_config.example", ROOT / "ansible.cfg"]
    for folder in ("roles", "playbooks", "plugins"):
        files += [p for p in (ROOT / folder).rglob("*") if p.is_file() and p.suffix in (".yml", ".yaml", ".py", ".j2")]
    used = re.compile(r"\{\{[^}]*\b(inventory_dir|inventory_file|playbook_dir)\b"  # in a template,
                      r"|['\"](inventory_dir|inventory_file|playbook_dir)['\"]")  # or a key
    assert not [str(p.relative_to(ROOT)) for p in files if used.search(p.read_text())]
    assert used.search("-F {{ inventory_dir }}/ssh_config") and used.search("task_vars['inventory_dir']")


class _Uploads(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, dict[str, str], bytes]]] = []  # one handler instance per request

    def do_PUT(self) -> None:  # http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, dict(self.headers), body))
        self.send_response(403 if self.path.startswith("/denied/") else 201)  # an expired pre-signed URL: 403
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_an_awx_job_publishes_the_snapshot_as_artifacts_and_puts_the_archive(tmp_path: Path) -> None:
    """Also: the job template's "Privilege Escalation" (AWX adds --become) does not make the role become;
    kafkapilot_become does (sudo is a logging wrapper: it never runs here)."""
    sudo = tmp_path / "sudo-logging"
    sudo.write_text(f'#!/bin/sh\necho "$@" >> {tmp_path / "sudo.log"}\nexec sudo "$@"\n')
    sudo.chmod(0o755)
    _Uploads.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Uploads)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    inventory = tmp_path / "inventory.yml"  # as created in AWX's UI: hosts, groups, variables
    inventory.write_text("""all:
  children:
    kafka_brokers:
      hosts:
        local1: {ansible_connection: local, ansible_become_exe: "{{ lookup('env', 'KP_TEST_SUDO') }}"}
      vars:
        # what the job sees as these folders: recorded in the manifest's options through kafkapilot_client_config
        kafkapilot_client_config: "{{ playbook_dir }}|{{ inventory_dir }}"
""")
    url = f"http://127.0.0.1:{server.server_address[1]}/bucket/snapshot.tar.gz"
    out = tmp_path / "out"
    try:
        job = run_job(tmp_path / "job", inventory, {
            **survey_answers(kafkapilot_cluster_name="prod-eu-1", kafkapilot_destination=f"{url}?X-Signature=s3cr3t"),
            "kafkapilot_output_dir": str(out),
            "kafkapilot_destination_headers": {"Authorization": "Bearer t0ken"}},
            cmdline="--become", env={"KP_TEST_SUDO": str(sudo), "ANSIBLE_BECOME_ALLOW_SAME_USER": "true"})
    finally:
        server.shutdown()
    assert job.status == "successful", job.stdout[-3000:]
    published = job.artifacts["kafkapilot_snapshot"]
    snapshot = Path(published["path"])
    assert snapshot.parent == out and published["hosts"] == {"local1": "ok"} and published["complete"] is True
    assert published["outcome"] == "all 1 hosts collected" and published["analyse"] == f"kafkapilot-analyse {snapshot}"
    assert published["destination"] == url  # where it went, without the pre-signed URL's signature
    assert "s3cr3t" not in json.dumps(job.artifacts)
    manifest = json.loads((snapshot / "snapshot.json").read_text())
    assert manifest["cluster_name"] == "prod-eu-1" and manifest["options"]["log_window_hours"] == 24.0
    assert manifest["options"]["become"] is False  # the survey's "false", a string, read as a boolean ...
    assert not (tmp_path / "sudo.log").exists()  # ... which --become does not override
    # neither is the project (inventory.example names its files relative to the job's folder, the project):
    # inventory_dir is the job's private inventory folder, playbook_dir the imported collection playbook's
    collection = f"{job.project}/collections/ansible_collections/kafkapilot/kafkapilot"
    assert manifest["options"]["client_config"] == f"{collection}/playbooks|{job.private / 'inventory'}"
    ((path, headers, body),) = _Uploads.received
    assert path == "/bucket/snapshot.tar.gz?X-Signature=s3cr3t" and headers["Authorization"] == "Bearer t0ken"
    assert body == Path(published["archive"]).read_bytes()
    with tarfile.open(published["archive"]) as archive:
        assert f"{snapshot.name}/snapshot.json" in archive.getnames()
    assert not _leaks(job, "s3cr3t", "t0ken")  # neither the signature nor the token is in the job's events


def _leaks(job: object, *secrets: str) -> list[str]:
    """Files of the job's artifacts (events, stdout: what AWX stores) holding one of `secrets`."""
    artifacts = job.private / "artifacts"  # type: ignore[attr-defined]
    return [str(p) for p in artifacts.rglob("*") if p.is_file() and p.name != "command"
            and any(secret in p.read_text(errors="replace") for secret in secrets)]


def test_an_archive_the_destination_refuses_fails_the_job_after_its_artifacts_say_why(tmp_path: Path) -> None:
    _Uploads.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Uploads)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    inventory = tmp_path / "inventory.yml"
    inventory.write_text("all:\n  children:\n    kafka_brokers:\n      hosts:\n        local1: {ansible_connection: "
                         "local}\n")
    url = f"http://127.0.0.1:{server.server_address[1]}/denied/snapshot.tar.gz"
    try:
        job = run_job(tmp_path / "job", inventory,
                      {**survey_answers(kafkapilot_destination=f"{url}?X-Signature=exp1red"),
                                                    "kafkapilot_output_dir": str(tmp_path / "out")})
    finally:
        server.shutdown()
    assert job.status == "failed" and job.rc == 2
    published = job.artifacts["kafkapilot_snapshot"]
    assert published["hosts"] == {"local1": "ok"} and published["destination"] is None
    assert published["destination_error"].startswith(f"PUT to {url}: HTTP 403: "), published["destination_error"]
    assert Path(published["archive"]).is_file()  # written; only its delivery failed
    assert "but not delivered to kafkapilot_destination: the PUT failed, HTTP 403" in " ".join(job.stdout.split())
    assert not _leaks(job, "exp1red")
