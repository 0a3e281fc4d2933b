"""A throwaway self-signed certificate for loopback TLS tests (made with the openssl CLI)."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SelfSignedCert:
    certfile: Path
    keyfile: Path

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(self.certfile, self.keyfile)
        return ctx

    def client_context(self) -> ssl.SSLContext:
        """A client context that trusts exactly this certificate (verification stays on)."""
        return ssl.create_default_context(cafile=str(self.certfile))


def openssl_available() -> bool:
    return shutil.which("openssl") is not None


def make_self_signed(folder: Path, host: str = "127.0.0.1") -> SelfSignedCert:
    """A key and a certificate for ``host`` (as IP and DNS subjectAltName), valid for a day."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
         "-addext", f"subjectAltName=IP:{host},DNS:localhost"],
        check=True, capture_output=True,
    )
    return SelfSignedCert(certfile=cert, keyfile=key)
