"""The skill served for real on 127.0.0.1, with verification on and a test authority trusted."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from intents.companion import Companion
from skill.app import SkillConfig, create_app
from tests.alexa.envelopes import CERT_URL, SKILL_ID, body, envelope, new_session_id
from tests.alexa.pki import Authority


@dataclass
class Reply:
    status: int
    data: dict[str, Any]

    @property
    def ssml(self) -> str:
        return self.data["response"]["outputSpeech"]["ssml"]

    @property
    def ends(self) -> bool:
        return bool(self.data["response"].get("shouldEndSession"))


@dataclass
class Alexa:
    """Sends signed requests the way Alexa does."""

    url: str
    authority: Authority
    clock: Any
    api_endpoint: str = "https://api.amazonalexa.com"
    chains: dict[str, bytes] = field(default_factory=dict)
    session_id: str = field(default_factory=new_session_id)
    """Requests belong to one Alexa session until end_session() is called, as on a device."""

    def end_session(self) -> None:
        self.session_id = new_session_id()

    def post_raw(self, data: bytes, headers: dict[str, str]) -> requests.Response:
        return requests.post(f"{self.url}/alexa", data=data, headers=headers, timeout=15)

    def signed_headers(self, data: bytes, cert_url: str = CERT_URL) -> dict[str, str]:
        return {
            "Content-Type": "application/json",
            "SignatureCertChainUrl": cert_url,
            "Signature-256": self.authority.sign(data),
        }

    def send(self, request: dict[str, Any], **envelope_args: Any) -> Reply:
        envelope_args.setdefault("api_endpoint", self.api_endpoint)
        envelope_args.setdefault("session_id", self.session_id)
        data = body(envelope(request, self.clock.now, **envelope_args))
        response = self.post_raw(data, self.signed_headers(data))
        return Reply(response.status_code, response.json())


def make_config(
    tmp_path: Path,
    authority: Authority,
    companion: Companion,
    clock: Any,
    chains: dict[str, bytes],
    api_ca: str | bool = True,
) -> SkillConfig:
    trust = tmp_path / "trust.pem"
    trust.write_bytes(authority.root_pem)
    chains.setdefault(CERT_URL, authority.chain_pem)

    def fetch(url: str) -> bytes:
        if url not in chains:
            raise OSError(f"404 for {url}")
        return chains[url]

    return SkillConfig(
        skill_id=SKILL_ID,
        verify_requests=True,
        trust_store_path=str(trust),
        cert_fetcher=fetch,
        companion=companion,
        clock=clock,
        api_verify=api_ca,
        api_timeout=1.0,
    )


def app_for(config: SkillConfig) -> Any:
    return create_app(config)


def dumps(data: Any) -> str:
    return json.dumps(data)
