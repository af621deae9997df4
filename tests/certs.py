"""Throwaway signing keys and certificates, made at test time (never committed): a CA and its people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Identity:
    """One signer's files: PEM key (maybe encrypted), PEM certificate, PKCS#12 bundle."""

    name: str
    key: Path
    cert: Path
    p12: Path
    passphrase: bytes | None


def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Södertörnskommunernas samverkan (test)"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


Key = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


def _new_key(kind: str) -> Key:
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


# Key usages a test certificate may carry: "both" (digitalSignature + nonRepudiation, the default),
# "digital" (digitalSignature only), "encipher" (keyEncipherment only: cannot sign), "absent" (no extension).
USAGES = ("both", "digital", "encipher", "absent")


def _certificate(subject: x509.Name, key: Key, issuer: x509.Name, issuer_key: Key, *,
                 ca: bool, days: tuple[int, int] = (-1, 30), usage: str = "both") -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(issuer).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + dt.timedelta(days=days[0])).not_valid_after(now + dt.timedelta(days=days[1]))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if usage != "absent":
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=usage in ("both", "digital") or ca, content_commitment=usage == "both" and not ca,
            key_encipherment=usage == "encipher", data_encipherment=False, key_agreement=False,
            key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False), critical=True)
    if issuer != subject:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _write(folder: Path, slug: str, name: str, key: Key, cert: x509.Certificate,
           passphrase: bytes | None) -> Identity:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption())
    key_path, cert_path, p12_path = folder / f"{slug}.key.pem", folder / f"{slug}.cert.pem", folder / f"{slug}.p12"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8, encryption))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    p12_path.write_bytes(pkcs12.serialize_key_and_certificates(
        slug.encode(), key, cert, None, encryption))
    return Identity(name, key_path, cert_path, p12_path, passphrase)


def self_signed(folder: Path, slug: str, name: str, *, passphrase: bytes | None = None,
                kind: str = "ec", days: tuple[int, int] = (-1, 30), usage: str = "both") -> Identity:
    """Return a self-signed identity for *name* (an "ec" P-256 or "rsa" key) written to *folder*.

    *days* is the validity (first and last day, relative to today); *usage* one of USAGES.
    """
    key = _new_key(kind)
    cert = _certificate(_name(name), key, _name(name), key, ca=False, days=days, usage=usage)
    return _write(folder, slug, name, key, cert, passphrase)


@dataclass(frozen=True)
class Authority:
    """A throwaway CA: its certificate file (the trust anchor) and a way to issue identities."""

    cert: Path
    _key: Key
    _name: x509.Name

    def issue(self, folder: Path, slug: str, name: str, *, passphrase: bytes | None = None,
              kind: str = "ec", days: tuple[int, int] = (-1, 30), usage: str = "both") -> Identity:
        """Return an identity for *name* whose certificate this CA signed (*days*, *usage* as for self_signed)."""
        key = _new_key(kind)
        cert = _certificate(_name(name), key, self._name, self._key, ca=False, days=days, usage=usage)
        return _write(folder, slug, name, key, cert, passphrase)


def authority(folder: Path, name: str = "kansli test-CA", slug: str = "ca") -> Authority:
    """Return a new test CA with its certificate written to *folder*."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(name)
    cert = _certificate(subject, key, subject, key, ca=True, days=(-400, 400))
    path = folder / f"{slug}.cert.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return Authority(path, key, subject)


def _test_metadata() -> Any:
    from pipeline.finish import Metadata

    return Metadata(title="Minnesanteckningar testmote", author="Sodertornskommunernas samverkan",
                    subject="Minnesanteckningar")


META = _test_metadata()  # what the signing tests' minutes say about themselves
SECRETARY, JUSTERARE = "Vid anteckningarna", "Justeras"  # the minutes' two signature fields
