"""A proposer backed by an OpenAI-compatible HTTP endpoint (a vLLM server, a hosted API, ...).

:class:`HTTPProposer` asks ``/v1/completions`` (``api="completions"``: the prompt is the template
with ``{input}`` filled in, several prompts per request) or ``/v1/chat/completions``
(``api="chat"``: one conversation per request) for ``n=k`` samples per input. It uses only the
standard library. Requests run in parallel, at most ``concurrency`` at a time; connection errors,
timeouts, HTTP 429 and 5xx are retried with exponential backoff (:mod:`.http_client`).

**Scores.** When the server returns token log-probabilities (``logprobs=True`` asks for them), a
candidate's ``logprob`` is the sum of its completion's token log-probabilities as the server
reports them (the best one when several samples give the same program). Servers differ in whether
these are taken before or after temperature; nesy sums what it is given. When the server returns
none, the candidate's ``logprob`` is ``log(count / n)``: the log of the share of the ``n`` samples
that gave this program -- an estimate of its probability under the sampling distribution, not
the model's score. Either way ``logprob <= 0``.

**Cache.** Every reply is stored under a content hash of what shaped it: the API, model name,
prompt or messages, ``n``, temperature, ``max_tokens``, stop strings, whether log-probs were asked
for, the extra body fields, and the *draw* -- how many earlier successful calls of this proposer
asked exactly this while sampling (greedy requests are always draw 0). So asking again for fresh
samples really asks the server; a call retried after an error sends only the requests that
failed; and a rerun of the same program (with ``cache_path``) replays every reply from the file
and sends nothing. The URL and the API key are not part of the key.

**fit.** A served model is not trained from here: ``fit(pairs)`` stores the pairs as few-shot
demonstrations (:class:`~nesy.proposer.prompting.FewShotPrompt`): each later prompt shows up to
``few_shot`` of them, the most similar inputs first, never the query's own. With
``few_shot=0``, ``fit`` raises a :class:`~nesy.errors.NesyError`.

**Self-repair.** :meth:`HTTPProposer.repair` asks again for an input whose program the solver refused,
showing that program and the solver's message (``repair_note`` of the prompt); the self-training loop
calls it with ``LoopConfig(self_repair=True)``.

**Trust.** Everything the server returns is untrusted text: it only ever becomes a
:class:`~nesy.proposer.protocol.Candidate`'s program string (stripped; from a chat reply, the
first fenced code block when there is one). Nothing is evaluated.

Example:
    >>> p = HTTPProposer("http://127.0.0.1:8000/v1", "my-model", few_shot=2)
    >>> p.fit([("one plus one", "add(1, 1)")]).examples
    1
    >>> print(p.prompt.completion("two plus two"))
    Input: one plus one
    Program: add(1, 1)
    <BLANKLINE>
    Input: two plus two
    Program:
    >>> extract_program("Here it is:\\n```lisp\\n(assert (> x 1))\\n```")
    '(assert (> x 1))'
"""

from __future__ import annotations

import logging
import math
import os
import re
import threading
import time
from collections import Counter
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any, Callable, Literal, Mapping, Sequence

from nesy.errors import NesyError
from nesy.proposer.http_client import EndpointError, JSONClient, RetryPolicy
from nesy.proposer.http_replies import Choice, parse_choices
from nesy.proposer.prompting import FewShotPrompt, Select
from nesy.proposer.protocol import Attempt, Candidate, FitReport, check_request
from nesy.proposer.response_cache import ResponseCache, request_key

log = logging.getLogger(__name__)

Api = Literal["completions", "chat"]
PATHS = {"completions": "completions", "chat": "chat/completions"}
_FENCE = re.compile(r"```[^\n`]*\n(.*?)```", re.DOTALL)


def extract_program(text: str) -> str:
    """The program in a reply: the first fenced code block if there is one, else the whole text; stripped."""
    found = _FENCE.search(text)
    return (found.group(1) if found else text).strip()


class HTTPProposer:
    """Proposes programs by sampling an OpenAI-compatible endpoint.

    Args:
        url: The API root, e.g. ``http://localhost:8000/v1`` (``/completions`` or
            ``/chat/completions`` is appended).
        model: The model name the server knows.
        api: ``"completions"`` or ``"chat"``.
        prompt_template: The query text; ``{input}`` is replaced by the input.
        instructions: Text before the demonstrations (completions) or the system message (chat).
        temperature: Default sampling temperature.
        max_tokens: Longest completion in tokens.
        stop: Stop strings; None: the demonstration separator (a blank line) for completions,
            none for chat.
        logprobs: Ask for token log-probabilities.
        few_shot: Demonstrations per prompt at most (0: ``fit`` raises).
        select: How demonstrations are chosen: ``"similar"`` or ``"first"``.
        batch_size: Prompts per completions request (chat: always one conversation per request).
        concurrency: Requests in flight at most.
        timeout: Seconds one attempt may take.
        retries: Extra attempts after a connection error, timeout, 429 or 5xx.
        backoff: Seconds before the first retry (doubled each time, at most ``max_backoff``).
        max_backoff: Longest wait between attempts.
        api_key: The key; None reads the environment variable ``api_key_env`` (if set). Never logged.
        api_key_env: Where to find the key when ``api_key`` is None.
        cache_path: A JSON-lines file that keeps replies across runs; None: in memory only.
        extra: More fields for every request body (``top_p``, ``seed``, ...); part of the cache key.
        extract: Turns a completion's text into a program (default :func:`extract_program`).
    """

    def __init__(
        self,
        url: str,
        model: str,
        *,
        api: Api = "completions",
        prompt_template: str = "Input: {input}\nProgram:",
        instructions: str = "",
        temperature: float = 1.0,
        max_tokens: int = 256,
        stop: Sequence[str] | None = None,
        logprobs: bool = True,
        few_shot: int = 4,
        select: Select = "similar",
        batch_size: int = 8,
        concurrency: int = 4,
        timeout: float = 60.0,
        retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        api_key: str | None = None,
        api_key_env: str = "NESY_LLM_API_KEY",
        cache_path: str | Path | None = None,
        extra: Mapping[str, Any] | None = None,
        extract: Callable[[str], str] = extract_program,
    ) -> None:
        if api not in PATHS:
            raise NesyError(f"api must be 'completions' or 'chat', got {api!r}")
        if not isinstance(batch_size, int) or batch_size < 1:
            raise NesyError(f"batch_size must be a positive integer, got {batch_size!r}")
        if not isinstance(max_tokens, int) or max_tokens < 1:
            raise NesyError(f"max_tokens must be a positive integer, got {max_tokens!r}")
        self.model, self.api = str(model), api
        self.prompt = FewShotPrompt(prompt_template, instructions, shots=few_shot, select=select)
        self.temperature, self.max_tokens, self.logprobs = float(temperature), max_tokens, bool(logprobs)
        if stop is None:
            stop = (self.prompt.separator,) if api == "completions" else ()
        self.stop = tuple(str(s) for s in stop)
        self.batch_size = batch_size if api == "completions" else 1
        self.extra = dict(extra or {})
        self.extract = extract
        key = api_key if api_key is not None else os.environ.get(api_key_env) or None
        retry = RetryPolicy(retries=retries, backoff=backoff, max_backoff=max_backoff)
        self.client = JSONClient(url, api_key=key, timeout=timeout, retry=retry, concurrency=concurrency)
        self.cache = ResponseCache(cache_path)
        self._draws: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._warned_no_logprobs = False
        self._cache_hits = 0

    def __repr__(self) -> str:
        return f"HTTPProposer({self.client.base_url!r}, {self.model!r}, api={self.api!r})"

    @property
    def stats(self) -> dict[str, int]:
        """``requests`` sent (retries included), ``cache_hits`` (prompts answered from the cache), ``cached`` replies."""
        return {"requests": self.client.requests, "cache_hits": self._cache_hits, "cached": len(self.cache)}

    # -- requests --------------------------------------------------------------------------
    def _shape(self, text: str, n: int, temperature: float, refused: Attempt | None = None) -> dict[str, Any]:
        """A request body for ``text`` (asking again after a ``refused`` attempt, for self-repair)."""
        prompt: dict[str, Any]
        if refused is None:
            prompt = {"prompt": self.prompt.completion(text)} if self.api == "completions" else {"messages": self.prompt.chat(text)}
        elif self.api == "completions":
            prompt = {"prompt": self.prompt.repair_completion(text, refused.program, refused.message)}
        else:
            prompt = {"messages": self.prompt.repair_chat(text, refused.program, refused.message)}
        body = {"model": self.model, **prompt, "n": n, "temperature": temperature, "max_tokens": self.max_tokens}
        if self.stop:
            body["stop"] = list(self.stop)
        if self.logprobs:
            body["logprobs"] = 1 if self.api == "completions" else True
        return {**body, **{k: v for k, v in self.extra.items() if k not in body}}

    def _keys(self, shapes: list[dict[str, Any]], sample: bool) -> tuple[list[str], Counter[str]]:
        """Cache keys, and how many draws of each request this call takes (committed on success)."""
        bases = [request_key({"api": self.api, **shape}) for shape in shapes]
        taken: Counter[str] = Counter()
        keys = []
        with self._lock:
            for base in bases:
                draw = self._draws[base] + taken[base] if sample else 0
                taken[base] += sample
                keys.append(request_key({"base": base, "draw": draw}))
        return keys, taken

    def _fetch(self, shapes: list[dict[str, Any]], keys: list[str], n: int) -> None:
        """One request for these prompts (all shaped alike but for the prompt); caches each reply."""
        body = dict(shapes[0])
        if self.api == "completions":
            prompts = [s["prompt"] for s in shapes]
            body["prompt"] = prompts if len(prompts) > 1 else prompts[0]
        reply = self.client.post(PATHS[self.api], body)
        per_prompt = parse_choices(reply, self.api, len(shapes), n, self.client.url(PATHS[self.api]))
        for key, choices in zip(keys, per_prompt):
            self.cache.put(key, [c.to_json() for c in choices])

    def _run(self, jobs: list[tuple[list[dict[str, Any]], list[str]]], n: int) -> None:
        if not jobs:
            return
        pool = ThreadPoolExecutor(max_workers=min(self.client.concurrency, len(jobs)), thread_name_prefix="nesy-llm")
        try:
            futures = [pool.submit(self._fetch, shapes, keys, n) for shapes, keys in jobs]
            wait(futures, return_when=FIRST_EXCEPTION)
            failed = [f for f in futures if f.done() and not f.cancelled() and f.exception() is not None]
            if failed:  # one error for the whole call; replies that already arrived stay cached
                for other in futures:
                    other.cancel()
                error = failed[0].exception()
                if isinstance(error, NesyError):
                    raise error
                raise EndpointError(self.client.base_url, f"unexpected failure: {error}") from error
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    # -- the proposer contract -------------------------------------------------------------
    def propose(
        self, inputs: Sequence[str], k: int, *, sample: bool = True, temperature: float | None = None
    ) -> list[list[Candidate]]:
        """Up to ``k`` distinct programs per input, best first.

        Args:
            inputs: Input texts.
            k: Samples per input (``n=k`` in each request).
            sample: Sample at ``temperature``; False asks for one greedy completion (temperature 0):
                OpenAI-compatible servers offer no beam search, so at most one candidate comes back.
            temperature: Overrides the default temperature for this call.

        Raises:
            EndpointError: The endpoint is unreachable or answers something unusable (one error,
                naming the URL and the cause; replies that did arrive stay cached).
        """
        temperature = self.temperature if temperature is None else float(temperature)
        check_request(k, temperature if sample else 1.0)
        n, temperature = (k, temperature) if sample else (1, 0.0)
        return self._ask([self._shape(str(x), n, temperature) for x in inputs], k, n, sample)

    def repair(self, attempts: Sequence[Attempt], k: int, *, temperature: float | None = None) -> list[list[Candidate]]:
        """Self-repair: ask again for each attempt's input, showing the refused program and the solver's
        message (:meth:`~nesy.proposer.prompting.FewShotPrompt.repair_completion`); up to ``k`` programs each.

        Raises:
            EndpointError: As :meth:`propose`.
        """
        temperature = self.temperature if temperature is None else float(temperature)
        check_request(k, temperature)
        return self._ask([self._shape(str(a.input), k, temperature, a) for a in attempts], k, k, True)

    def _ask(self, shapes: list[dict[str, Any]], k: int, n: int, sample: bool) -> list[list[Candidate]]:
        """Candidates for each request body: from the cache, or asked for (batched, in parallel)."""
        keys, taken = self._keys(shapes, sample)
        started = time.perf_counter()
        first: dict[str, int] = {}  # each missing reply is asked for once, even for repeated greedy inputs
        for i, key in enumerate(keys):
            if key in self.cache:
                self._cache_hits += 1
            else:
                first.setdefault(key, i)
        missing = list(first.values())
        jobs = [
            ([shapes[i] for i in chunk], [keys[i] for i in chunk])
            for chunk in (missing[s : s + self.batch_size] for s in range(0, len(missing), self.batch_size))
        ]
        self._run(jobs, n)
        with self._lock:  # only a call that succeeded moves on to fresh draws; a retried call replays
            self._draws.update(taken)
        log.debug("%d inputs: %d requests in %.2f s", len(shapes), len(jobs), time.perf_counter() - started)
        return [self._candidates([Choice.from_json(c) for c in self.cache.get(key)], k) for key in keys]

    def _candidates(self, choices: list[Choice], k: int) -> list[Candidate]:
        programs: dict[str, list[float | None]] = {}
        for choice in choices:
            program = self.extract(choice.text)
            if program:
                programs.setdefault(program, []).append(choice.logprob)
        scored = all(lp is not None for lps in programs.values() for lp in lps)
        if not scored and programs and not self._warned_no_logprobs:
            self._warned_no_logprobs = True
            log.info("%s returned no log-probabilities: candidates are scored by log sample frequency", self.model)
        total = max(1, len(choices))
        candidates = [
            Candidate(program, max(lps) if scored else math.log(len(lps) / total), len(lps))  # type: ignore[type-var]
            for program, lps in programs.items()
        ]
        return sorted(candidates, key=Candidate.sort_key)[:k]

    def fit(self, pairs: Sequence[tuple[str, str]], **options: object) -> FitReport:
        """Store ``(input, program)`` pairs as few-shot demonstrations (nothing is trained).

        Returns:
            A report with ``steps=0``, ``loss`` NaN (nothing was optimised) and ``examples`` the
            number of demonstrations stored so far.

        Raises:
            NesyError: ``few_shot`` is 0, so demonstrations would never be shown.
        """
        if self.prompt.shots == 0:
            raise NesyError(
                "HTTPProposer cannot train a served model; set few_shot > 0 to use the pairs as demonstrations"
            )
        started = time.perf_counter()
        stored = self.prompt.add(pairs)
        return FitReport(0, 0.0, stored, float("nan"), None, time.perf_counter() - started)
