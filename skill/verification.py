"""Request verification Amazon requires of every self-hosted skill, done with `cryptography`.

ask_sdk_webservice_support cannot be imported on OpenSSL 3.0.1x (oscrypto issue #75), so the
checks it would make are made here: certificate URL, chain to a trust store, validity dates,
subject alternative name, RSA-SHA256 signature over the raw body, timestamp and skill id.
"""

from __future__ import annotations

import base64
import json
import logging
import posixpath
import threading
import time
import urllib.request
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

log = logging.getLogger(__name__)

ECHO_API_NAME = "echo-api.amazon.com"
TIMESTAMP_TOLERANCE_S = 150
FETCH_TIMEOUT_S = 3.0
MAX_CHAIN_BYTES = 64 * 1024
SYSTEM_TRUST_STORE = "/etc/ssl/certs/ca-certificates.crt"

CertFetcher = Callable[[str], bytes]


class RequestRejected(Exception):
    """The request is not provably from Alexa for this skill. The message says why (for logs)."""


def check_cert_url(url: str) -> None:
    """https, host s3.amazonaws.com (any case), port 443 or none, path under /echo.api/."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise RequestRejected(f"certificate URL unparseable: {error}") from error
    if parts.scheme.lower() != "https":
        raise RequestRejected("certificate URL is not https")
    if (parts.hostname or "").lower() != "s3.amazonaws.com":
        raise RequestRejected("certificate URL host is not s3.amazonaws.com")
    if port not in (None, 443):
        raise RequestRejected("certificate URL port is not 443")
    path = posixpath.normpath(parts.path) if parts.path else ""
    if not path.startswith("/echo.api/"):
        raise RequestRejected("certificate URL path is not under /echo.api/")


def fetch_certificate_chain(url: str) -> bytes:
    """Download a PEM chain with a timeout and a size limit."""
    with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT_S) as response:  # noqa: S310 - checked
        data = response.read(MAX_CHAIN_BYTES + 1)
    if len(data) > MAX_CHAIN_BYTES:
        raise RequestRejected("certificate chain too large")
    return data


def load_trust_store(path: str | Path = SYSTEM_TRUST_STORE) -> Store:
    return Store(x509.load_pem_x509_certificates(Path(path).read_bytes()))


@dataclass
class _Cached:
    leaf: x509.Certificate
    expires: float


class ChainCache:
    """Verified leaf certificates by URL: bounded in size, each kept for at most `ttl` seconds."""

    def __init__(self, size: int = 16, ttl: float = 3600.0) -> None:
        self.size = size
        self.ttl = ttl
        self._items: OrderedDict[str, _Cached] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, url: str, now: float) -> x509.Certificate | None:
        with self._lock:
            item = self._items.get(url)
            if item is None:
                return None
            if item.expires <= now:
                del self._items[url]
                return None
            self._items.move_to_end(url)
            return item.leaf

    def put(self, url: str, leaf: x509.Certificate, now: float) -> None:
        not_after = leaf.not_valid_after_utc.timestamp()
        with self._lock:
            self._items[url] = _Cached(leaf, min(now + self.ttl, not_after))
            self._items.move_to_end(url)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class RequestVerifier:
    """Checks one request's headers and raw body; returns the parsed envelope when it passes."""

    def __init__(
        self,
        skill_id: str,
        trust_store: Store,
        fetch: CertFetcher = fetch_certificate_chain,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        cache: ChainCache | None = None,
    ) -> None:
        self.skill_id = skill_id
        self.trust_store = trust_store
        self.fetch = fetch
        self.clock = clock
        self.cache = cache or ChainCache()

    def verify(self, headers: Mapping[str, str], body: bytes) -> dict[str, Any]:
        url = headers.get("SignatureCertChainUrl") or ""
        signature = headers.get("Signature-256") or ""
        if not url or not signature:
            raise RequestRejected("signature headers missing")
        check_cert_url(url)
        leaf = self._leaf(url)
        try:
            raw_signature = base64.b64decode(signature, validate=True)
        except ValueError as error:
            raise RequestRejected("signature is not base64") from error
        public_key = leaf.public_key()
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise RequestRejected("certificate key is not RSA")
        try:
            public_key.verify(raw_signature, body, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature as error:
            raise RequestRejected("signature does not match the body") from error
        envelope = parse_envelope(body)
        self._check_timestamp(envelope)
        self._check_skill_id(envelope)
        return envelope

    def _leaf(self, url: str) -> x509.Certificate:
        now = time.time()
        cached = self.cache.get(url, now)
        if cached is not None and cached.not_valid_before_utc <= self.clock():
            return cached
        try:
            pem = self.fetch(url)
        except RequestRejected:
            raise
        except Exception as error:  # any download failure is a rejection, never a 500
            reason = error.__class__.__name__
            raise RequestRejected(f"certificate download failed: {reason}") from error
        try:
            chain = x509.load_pem_x509_certificates(pem)
        except ValueError as error:
            raise RequestRejected("certificate chain is not PEM") from error
        leaf, intermediates = chain[0], chain[1:]
        verifier = (
            PolicyBuilder()
            .store(self.trust_store)
            .time(self.clock())
            .build_server_verifier(x509.DNSName(ECHO_API_NAME))
        )
        try:
            verifier.verify(leaf, intermediates)
        except VerificationError as error:
            raise RequestRejected(f"certificate chain not valid: {error}") from error
        self.cache.put(url, leaf, now)
        return leaf

    def _check_timestamp(self, envelope: dict[str, Any]) -> None:
        stamp = str(envelope.get("request", {}).get("timestamp", ""))
        try:
            when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError as error:
            raise RequestRejected("request timestamp missing or invalid") from error
        if when.tzinfo is None:
            raise RequestRejected("request timestamp has no time zone")
        if abs((self.clock() - when).total_seconds()) > TIMESTAMP_TOLERANCE_S:
            raise RequestRejected("request timestamp outside 150 seconds")

    def _check_skill_id(self, envelope: dict[str, Any]) -> None:
        if application_id(envelope) != self.skill_id:
            raise RequestRejected("request is for another skill")


def parse_envelope(body: bytes) -> dict[str, Any]:
    try:
        envelope = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise MalformedRequest("body is not JSON") from error
    if not isinstance(envelope, dict) or not isinstance(envelope.get("request"), dict):
        raise MalformedRequest("body is not an Alexa request envelope")
    return envelope


def application_id(envelope: dict[str, Any]) -> str | None:
    for path in (("context", "System", "application"), ("session", "application")):
        node: Any = envelope
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict) and isinstance(node.get("applicationId"), str):
            return node["applicationId"]
    return None


class MalformedRequest(RequestRejected):
    """Not an Alexa request at all (bad JSON, missing fields)."""
