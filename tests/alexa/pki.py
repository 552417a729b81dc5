"""A throwaway certificate authority, made with `cryptography`, standing in for Amazon's."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta
from ipaddress import IPv4Address

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

KEY_CACHE: list[rsa.RSAPrivateKey] = []


def _key(index: int) -> rsa.RSAPrivateKey:
    while len(KEY_CACHE) <= index:  # RSA keys are slow to make: a few, reused
        KEY_CACHE.append(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    return KEY_CACHE[index]


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _cert(
    subject: str,
    key: rsa.RSAPrivateKey,
    issuer: str,
    issuer_key: rsa.RSAPrivateKey,
    not_before: datetime,
    not_after: datetime,
    ca: bool,
    dns: str | None = None,
    ip: str | None = None,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
    else:
        names: list[x509.GeneralName] = []
        if dns:
            names.append(x509.DNSName(dns))
        if ip:
            names.append(x509.IPAddress(IPv4Address(ip)))
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        builder = builder.add_extension(
            x509.KeyUsage(True, False, True, False, False, False, False, False, False),
            critical=True,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def pem(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


@dataclass
class Authority:
    """A root, an intermediate and a leaf that signs requests, like Amazon's echo-api chain."""

    root: x509.Certificate
    intermediate: x509.Certificate
    leaf: x509.Certificate
    leaf_key: rsa.RSAPrivateKey

    @property
    def root_pem(self) -> bytes:
        return pem(self.root)

    @property
    def chain_pem(self) -> bytes:
        return pem(self.leaf, self.intermediate)

    def sign(self, body: bytes) -> str:
        signature = self.leaf_key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode()


def make_authority(
    now: datetime,
    san: str = "echo-api.amazon.com",
    leaf_not_before: datetime | None = None,
    leaf_not_after: datetime | None = None,
    root_index: int = 0,
) -> Authority:
    root_key, mid_key, leaf_key = _key(root_index), _key(3), _key(4)
    year = timedelta(days=365)
    root = _cert("Test Root", root_key, "Test Root", root_key, now - year, now + 5 * year, True)
    mid = _cert(
        "Test Intermediate", mid_key, "Test Root", root_key, now - year, now + 3 * year, True
    )
    leaf = _cert(
        san,
        leaf_key,
        "Test Intermediate",
        mid_key,
        leaf_not_before or now - timedelta(days=30),
        leaf_not_after or now + timedelta(days=300),
        False,
        dns=san,
    )
    return Authority(root, mid, leaf, leaf_key)


def make_server_certificate(now: datetime) -> tuple[bytes, bytes, bytes]:
    """(CA pem, server cert pem, server key pem) for an HTTPS stub on 127.0.0.1."""
    ca_key, server_key = _key(5), _key(6)
    year = timedelta(days=365)
    ca = _cert("Stub CA", ca_key, "Stub CA", ca_key, now - year, now + year, True)
    server = _cert(
        "127.0.0.1",
        server_key,
        "Stub CA",
        ca_key,
        now - year,
        now + year,
        False,
        dns="localhost",
        ip="127.0.0.1",
    )
    key_pem = server_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem(ca), pem(server), key_pem
