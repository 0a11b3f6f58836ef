"""Reading OpenAI-style completion replies: untrusted JSON in, checked :class:`Choice` records out.

A completions reply has ``choices`` with ``text``, ``index`` and optionally
``logprobs.token_logprobs`` (a list of numbers, ``null`` allowed); a chat reply has ``choices``
with ``message.content`` and optionally ``logprobs.content`` (a list of ``{"logprob": x}``). When
several prompts go in one completions request with ``n`` samples each, choice ``index`` ``i``
belongs to prompt ``i // n`` (choices without an ``index`` are taken in order). A reply with the
wrong number of choices, a choice that is not an object, text that is not a string, or a
log-probability that is not a number (or is NaN or positive infinity) is malformed: one
:class:`~nesy.proposer.http_client.EndpointError` names the URL and what was wrong.

Example:
    >>> reply = {"choices": [{"index": 0, "text": " add(1, 2)", "logprobs": {"token_logprobs": [-0.5, None, -0.25]}},
    ...                      {"index": 1, "text": "mul(1, 2)"}]}
    >>> [(c.text, c.logprob) for c in parse_choices(reply, "completions", 2, 1, "http://x/v1/completions")[1]]
    [('mul(1, 2)', None)]
    >>> parse_choices(reply, "completions", 2, 1, "u")[0][0].logprob
    -0.75
    >>> parse_choices({"choices": "oops"}, "chat", 1, 1, "http://x/v1/chat/completions")
    Traceback (most recent call last):
    ...
    nesy.proposer.http_client.EndpointError: LLM endpoint http://x/v1/chat/completions: malformed reply: 'choices' is not a list
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from nesy.proposer.http_client import EndpointError


@dataclass(frozen=True)
class Choice:
    """One sampled completion: its text and the sum of its token log-probabilities (None if not given)."""

    text: str
    logprob: float | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-friendly form (what the response cache stores)."""
        return {"text": self.text, "logprob": self.logprob}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Choice":
        """Inverse of :meth:`to_json`."""
        return cls(str(data["text"]), None if data.get("logprob") is None else float(data["logprob"]))


def _number(value: Any, url: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value) or value == math.inf:
        raise EndpointError(url, f"malformed reply: log-probability {value!r} is not a number <= 0")
    return float(value)


def _logprob(choice: dict[str, Any], api: str, url: str) -> float | None:
    block = choice.get("logprobs")
    if block is None:
        return None
    if not isinstance(block, dict):
        raise EndpointError(url, "malformed reply: 'logprobs' is not an object")
    if api == "completions":
        tokens = block.get("token_logprobs")
        if tokens is None:
            return None
        if not isinstance(tokens, list):
            raise EndpointError(url, "malformed reply: 'token_logprobs' is not a list")
        values = [_number(v, url) for v in tokens if v is not None]
    else:
        content = block.get("content")
        if content is None:
            return None
        if not isinstance(content, list) or not all(isinstance(t, dict) for t in content):
            raise EndpointError(url, "malformed reply: 'logprobs.content' is not a list of objects")
        values = [_number(t.get("logprob"), url) for t in content]
    return min(0.0, sum(values))


def _text(choice: dict[str, Any], api: str, url: str) -> str:
    if api == "completions":
        text = choice.get("text")
    else:
        message = choice.get("message")
        if not isinstance(message, dict):
            raise EndpointError(url, "malformed reply: a chat choice has no 'message' object")
        text = message.get("content")
        text = "" if text is None else text  # e.g. a refusal or a tool call: no program
    if not isinstance(text, str):
        raise EndpointError(url, f"malformed reply: completion text is {type(text).__name__}, not a string")
    return text


def parse_choices(reply: dict[str, Any], api: str, prompts: int, n: int, url: str) -> list[list[Choice]]:
    """The ``n`` choices of each of ``prompts`` prompts, in prompt order.

    Raises:
        EndpointError: The reply is malformed (see the module docstring).
    """
    if "error" in reply and "choices" not in reply:
        raise EndpointError(url, f"the server reported an error: {str(reply['error'])[:300]}")
    choices = reply.get("choices")
    if not isinstance(choices, list):
        raise EndpointError(url, "malformed reply: 'choices' is not a list")
    if len(choices) != prompts * n:
        raise EndpointError(url, f"malformed reply: {len(choices)} choices for {prompts} prompt(s) x n={n}")
    grouped: list[list[Choice]] = [[] for _ in range(prompts)]
    for position, choice in enumerate(choices):
        if not isinstance(choice, dict):
            raise EndpointError(url, "malformed reply: a choice is not an object")
        index = choice.get("index", position)
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < prompts * n:
            raise EndpointError(url, f"malformed reply: choice index {index!r} out of range")
        grouped[index // n].append(Choice(_text(choice, api, url), _logprob(choice, api, url)))
    if any(len(group) != n for group in grouped):
        raise EndpointError(url, "malformed reply: choices are not n per prompt (repeated indices?)")
    return grouped
