"""The lab CA and one PKCS12 keystore per node, made with the JDK's keytool and kept in the cache."""
from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from .errors import LabError
from .paths import CACHE_DIR
from .topology import ALL_LAB_HOSTS

__all__ = ["Pki", "ensure_pki", "issue_keystore", "ZK_CLIENT", "ADMIN"]

PKI_DIR: Final = CACHE_DIR / "pki"
VALIDITY_DAYS: Final = 825
RENEW_AFTER_S: Final = 600 * 86400  # make a fresh PKI well before the certificates expire
ADMIN: Final = "admin"            # the admin client principal (User:admin)
ZK_CLIENT: Final = "kafka-broker"  # the brokers' shared ZooKeeper client identity (ZK ACLs need one DN)
_FORMAT: Final = 2  # 2: the CA password is kept, so that a scenario can issue more certificates


@dataclass(frozen=True)
class Pki:
    root: Path
    passwords: dict[str, str]  # entity -> keystore password; "truststore" -> truststore password
    ca_password: str

    def keystore(self, entity: str) -> Path:
        return self.root / f"{entity}.keystore.p12"

    @property
    def truststore(self) -> Path:
        return self.root / "truststore.p12"

    @property
    def ca_pem(self) -> Path:
        return self.root / "ca.pem"


def _keytool(*args: str) -> None:
    out = subprocess.run(["keytool", "-J-XX:TieredStopAtLevel=1", *args], capture_output=True, text=True, timeout=120,
                         check=False)
    if out.returncode != 0:
        msg = f"keytool {args[0]} failed: {(out.stdout + out.stderr).strip()[:300]}"
        raise LabError(msg)


def _entities() -> dict[str, list[str]]:
    """entity -> subjectAltName entries."""
    ents = {name: [f"dns:{name}", f"ip:{ip}"] for name, ip in ALL_LAB_HOSTS.items() if name != "bastion"}
    ents[ADMIN] = [f"dns:{ADMIN}"]
    brokers = sorted(n for n in ALL_LAB_HOSTS if n.startswith("kafka-"))
    ents[ZK_CLIENT] = [f"dns:{b}" for b in brokers] + [f"ip:{ALL_LAB_HOSTS[b]}" for b in brokers]
    return ents


def _issue(work: Path, entity: str, sans: list[str], password: str, ca_pass: str, *, ca_dir: Path | None = None,
           days: int = VALIDITY_DAYS) -> None:
    ca_dir = ca_dir or work
    ks = str(work / f"{entity}.keystore.p12")
    csr, crt = str(work / f"{entity}.csr"), str(work / f"{entity}.crt")
    dname = f"CN={entity},OU=lab,O=KafkaPilot"
    san = "SAN=" + ",".join(sans)
    _keytool("-genkeypair", "-alias", entity, "-keyalg", "RSA", "-keysize", "2048", "-dname", dname,
             "-validity", str(days), "-keystore", ks, "-storetype", "PKCS12", "-storepass", password)
    _keytool("-certreq", "-alias", entity, "-keystore", ks, "-storepass", password, "-file", csr)
    _keytool("-gencert", "-alias", "ca", "-keystore", str(ca_dir / "ca.p12"), "-storepass", ca_pass,
             "-infile", csr, "-outfile", crt, "-rfc", "-validity", str(days), "-ext", san,
             "-ext", "EKU=serverAuth,clientAuth", "-ext", "KU=digitalSignature,keyEncipherment")
    _keytool("-importcert", "-noprompt", "-alias", "lab-ca", "-file", str(ca_dir / "ca.pem"),
             "-keystore", ks, "-storepass", password)
    _keytool("-importcert", "-noprompt", "-alias", entity, "-file", crt, "-keystore", ks, "-storepass", password)


def _generate(log) -> None:  # noqa: ANN001 - log is a Progress
    work = PKI_DIR.with_name("pki.new")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, mode=0o700)
    ca_pass = secrets.token_urlsafe(18)
    ents = _entities()
    passwords = {e: secrets.token_urlsafe(18) for e in ents}
    passwords["truststore"] = secrets.token_urlsafe(18)
    log(f"creating the lab CA and {len(ents)} keystores with keytool (once; cached in {PKI_DIR})")
    ca = str(work / "ca.p12")
    _keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048",
             "-dname", "CN=KafkaPilot Lab CA,O=KafkaPilot", "-ext", "bc:c", "-validity", "3650",
             "-keystore", ca, "-storetype", "PKCS12", "-storepass", ca_pass)
    _keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", ca_pass,
             "-file", str(work / "ca.pem"))
    _keytool("-importcert", "-noprompt", "-alias", "lab-ca", "-file", str(work / "ca.pem"),
             "-keystore", str(work / "truststore.p12"), "-storetype", "PKCS12",
             "-storepass", passwords["truststore"])
    with ThreadPoolExecutor(max_workers=3) as pool:
        for fut in [pool.submit(_issue, work, e, sans, passwords[e], ca_pass) for e, sans in ents.items()]:
            fut.result()
    meta = {"format": _FORMAT, "created": time.time(), "passwords": passwords, "entities": sorted(ents),
            "ca_password": ca_pass}
    (work / "pki.json").write_text(json.dumps(meta, indent=1))
    shutil.rmtree(PKI_DIR, ignore_errors=True)
    work.rename(PKI_DIR)


def ensure_pki(log) -> Pki:  # noqa: ANN001 - log is a Progress
    meta_path = PKI_DIR / "pki.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    fresh = meta.get("format") == _FORMAT and time.time() - meta.get("created", 0) < RENEW_AFTER_S \
        and meta.get("entities") == sorted(_entities())
    if not fresh:
        _generate(log)
        meta = json.loads(meta_path.read_text())
    else:
        log(f"lab CA and keystores cached in {PKI_DIR}")
    return Pki(PKI_DIR, meta["passwords"], meta["ca_password"])


def issue_keystore(pki: Pki, entity: str, days: int, target: Path) -> None:
    """Write at `target` a new keystore for `entity` (same password and names) whose certificate, signed
    by the lab CA, is valid for `days` from now."""
    work = Path(tempfile.mkdtemp(prefix="reissue-", dir=pki.root.parent))
    try:
        _issue(work, entity, _entities()[entity], pki.passwords[entity], pki.ca_password, ca_dir=pki.root, days=days)
        shutil.copyfile(work / f"{entity}.keystore.p12", target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
