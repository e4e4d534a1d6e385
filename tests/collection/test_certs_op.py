"""The module's `certs` request on this machine: a real keystore made with keytool, its password
given each way Kafka and ZooKeeper accept, and what comes back (certificates, never the key or
the password)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from kafkapilot.parsers.certificates import parse_certificates
from tests.factory.certificates import CA

pytestmark = pytest.mark.integration

PASSWORD = "store-pass-5f1c9a"
FILE_PROVIDER = "org.apache.kafka.common.config.provider.FileConfigProvider"
DIR_PROVIDER = "org.apache.kafka.common.config.provider.DirectoryConfigProvider"


@pytest.fixture(scope="module")
def keystore(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("keytool") is None:
        pytest.skip("needs a JDK (keytool)")
    path = tmp_path_factory.mktemp("ks") / "broker.p12"
    subprocess.run(["keytool", "-J-XX:-UsePerfData", "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname",
                    "secp256r1", "-dname", "CN=broker-1,O=KafkaPilot", "-validity", "45", "-storetype", "PKCS12",
                    "-keystore", str(path), "-storepass", PASSWORD], capture_output=True, timeout=120, check=True)
    return path


def _certs(module: ModuleType, tmp_path: Path, keystore: Path, config: str, **req: Any) -> dict[str, Any]:
    (tmp_path / "server.properties").write_text(config)
    return module.op_certs({"path": str(keystore), "type": "PKCS12", "config": str(tmp_path / "server.properties"),
                            "password_key": "ssl.keystore.password", "password_path_key": "ssl.keystore.passwordPath",
                            "keytool": "keytool", **req})


def _listed(result: dict[str, Any]) -> list[tuple[str | None, str, int]]:
    assert result["status"] == "ok", result.get("error")
    assert PASSWORD not in str(result) and "PRIVATE KEY" not in result["content"]
    return [(c.alias, c.subject, (c.not_after - c.not_before).days) for c in parse_certificates(result["content"])]


def test_inline_password(host_module: ModuleType, tmp_path: Path, keystore: Path) -> None:
    result = _certs(host_module, tmp_path, keystore, f"ssl.keystore.password = {PASSWORD}\n")
    assert _listed(result) == [("broker", "CN=broker-1,O=KafkaPilot", 45)]
    assert "-storepass:env" in result["argv"] and PASSWORD not in result["argv"]


def test_file_and_directory_config_providers(host_module: ModuleType, tmp_path: Path, keystore: Path) -> None:
    (tmp_path / "secrets.properties").write_text(f"# secrets\nkeystore.password={PASSWORD}\n")
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "keystore-password").write_text(PASSWORD + "\n")
    by_file = _certs(host_module, tmp_path, keystore,
                     f"ssl.keystore.password=${{file:{tmp_path}/secrets.properties:keystore.password}}\n",
                     providers={"file": FILE_PROVIDER})
    by_dir = _certs(host_module, tmp_path, keystore,
                    f"ssl.keystore.password=${{dir:{tmp_path}/dir:keystore-password}}\n",
                    providers={"dir": DIR_PROVIDER})
    assert _listed(by_file) == _listed(by_dir) == [("broker", "CN=broker-1,O=KafkaPilot", 45)]


def test_zookeeper_password_path(host_module: ModuleType, tmp_path: Path, keystore: Path) -> None:
    (tmp_path / "zk.pass").write_text(PASSWORD + "\n")
    result = _certs(host_module, tmp_path, keystore, f"ssl.keyStore.passwordPath={tmp_path}/zk.pass\n",
                    password_key="ssl.keyStore.password", password_path_key="ssl.keyStore.passwordPath")
    assert _listed(result) == [("broker", "CN=broker-1,O=KafkaPilot", 45)]


@pytest.mark.parametrize(("config", "providers", "status", "error"), [
    ("ssl.keystore.type=PKCS12\n", {}, "skipped", "no ssl.keystore.password in"),
    ("ssl.keystore.password=${vault:secret/kafka:pw}\n", {"vault": "com.example.VaultConfigProvider"}, "skipped",
     "ssl.keystore.password comes from config provider 'vault' (com.example.VaultConfigProvider): not resolved"),
    ("ssl.keystore.password=wrong-password-1\n", {}, "failed",
     "keytool error: java.io.IOException: keystore password was incorrect"),
])
def test_no_usable_password_is_a_reason(host_module: ModuleType, tmp_path: Path, keystore: Path, config: str,
                                        providers: dict[str, str], status: str, error: str) -> None:
    result = _certs(host_module, tmp_path, keystore, config, providers=providers)
    assert result["status"] == status and result["error"].startswith(error) and "content" not in result


def test_a_pem_keystore_gives_its_certificates_and_never_its_key(host_module: ModuleType, tmp_path: Path) -> None:
    pem = tmp_path / "broker.pem"
    pem.write_text("-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE "
                   "KEY-----\n" + CA)
    result = host_module.op_certs({"path": str(pem), "type": "PEM"})
    assert result == {"status": "ok", "content": CA}
