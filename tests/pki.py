"""A real local test PKI for the long-term signature tests: certomancer's animator on 127.0.0.1.

The configuration is tests/pki/certomancer.yml; this module generates its keys into a temporary
folder (TEST KEYS ONLY, never committed), sets the validity dates relative to now and the URLs
to the port the server got, and serves CA certificates, OCSP, CRLs and an RFC 3161 time-stamping
authority with werkzeug in a background thread until stopped.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

CONFIG = Path(__file__).parent / "pki" / "certomancer.yml"
ARCH = "kansli-test"
SIGNER_DAYS = 5  # the signer's certificate expires this many days from now; the CA and TSA in ten years


@dataclass
class TestPKI:
    """A running test PKI: where its TSA answers, the trust anchor, and the signer's files."""

    tsa_url: str
    ca_cert: Path
    signer_key: Path
    signer_cert: Path
    signer_expires: dt.datetime
    server: Any
    stopped: bool = False

    __test__ = False  # not a test class, whatever its name

    def stop(self) -> None:
        """Stop serving: from now on OCSP, CRLs and the TSA are gone."""
        if not self.stopped:
            self.server.shutdown()
            self.server.server_close()
            self.stopped = True


def _keys(folder: Path) -> None:
    for name in ("root", "signer", "tsa"):
        key = ec.generate_private_key(ec.SECP256R1())
        (folder / f"{name}.key.pem").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


def _config(now: dt.datetime) -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    certs = config["pki-architectures"][ARCH]["certs"]
    long = {"valid-from": (now - dt.timedelta(days=30)).isoformat(),
            "valid-to": (now + dt.timedelta(days=3650)).isoformat()}
    certs["root"]["validity"] = certs["tsa"]["validity"] = long
    certs["signer"]["validity"] = {"valid-from": (now - dt.timedelta(days=1)).isoformat(),
                                   "valid-to": (now + dt.timedelta(days=SIGNER_DAYS)).isoformat()}
    return config


def _pem(cert: Any) -> bytes:
    from asn1crypto import pem

    data: bytes = pem.armor("CERTIFICATE", cert.dump())
    return data


@contextmanager
def running(folder: Path) -> Iterator[TestPKI]:
    """Yield a TestPKI served on a free port of 127.0.0.1; it is stopped afterwards (if still running)."""
    pytest.importorskip("certomancer", reason="certomancer saknas (pip install -e '.[dev]')")
    from certomancer.integrations.animator import Animator, AnimatorArchStore
    from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args: Any, **kwargs: Any) -> None:
            pass

    _keys(folder)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    server = make_server("127.0.0.1", 0, lambda environ, start: [], threaded=True, request_handler=Quiet)
    prefix = f"http://127.0.0.1:{server.server_port}"
    config = CertomancerConfig(_config(now), key_search_dir=str(folder), external_url_prefix=prefix)
    arch = config.pki_archs[ArchLabel(ARCH)]
    server.app = Animator(AnimatorArchStore(config.pki_archs), with_web_ui=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    (folder / "ca.cert.pem").write_bytes(_pem(arch.get_cert(CertLabel("root"))))
    (folder / "signer.cert.pem").write_bytes(_pem(arch.get_cert(CertLabel("signer"))))
    pki = TestPKI(tsa_url=f"{prefix}/{ARCH}/tsa/tsa", ca_cert=folder / "ca.cert.pem",
                  signer_key=folder / "signer.key.pem", signer_cert=folder / "signer.cert.pem",
                  signer_expires=now + dt.timedelta(days=SIGNER_DAYS), server=server)
    try:
        yield pki
    finally:
        pki.stop()
