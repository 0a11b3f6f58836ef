"""HTTPProposer against a local fake OpenAI-compatible server (127.0.0.1, port 0): nothing leaves the machine."""

from __future__ import annotations

import json
import logging
import math
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

import pytest

from nesy.errors import NesyError
from nesy.executor import LocalExecutor
from nesy.grammar.seqdsl import sequence_solver
from nesy.learn import LoopConfig, SelfTrainer, Task
from nesy.proposer import Attempt, Proposer
from nesy.proposer.http_proposer import HTTPProposer
from nesy.traces import TraceStore
from nesy.verdict import Status

TOKEN_LOGPROB = -0.25


def query_of(prompt: str) -> str:
    """The input of the last 'Input: ...' line of a prompt (the query; earlier ones are demonstrations)."""
    return [line for line in prompt.splitlines() if line.startswith("Input: ")][-1][len("Input: ") :]


def default_answer(query: str, j: int) -> str:
    """Sample j for a query: two of every three samples agree."""
    return f"f({query})" if j % 3 != 1 else f"g({query}, {query})"


def token_logprobs(text: str) -> list[float]:
    return [TOKEN_LOGPROB] * len(text.split())


class FakeLLM:
    """A scripted OpenAI-compatible server on a free loopback port, run in a thread."""

    def __init__(
        self,
        answer: Callable[[str, int], str] = default_answer,
        *,
        logprobs: bool = True,
        failures: int = 0,
        fail_status: int = 503,
        raw: bytes | None = None,
        reply: dict | None = None,
        delay: float = 0.0,
        gate: int = 0,
        refuse: str | None = None,
    ) -> None:
        self.answer, self.logprobs, self.raw, self.reply = answer, logprobs, raw, reply
        self.failures, self.fail_status, self.delay, self.gate = failures, fail_status, delay, gate
        self.refuse = refuse  # requests whose body mentions this text get HTTP 400
        self.bodies: list[dict] = []
        self.headers: list[dict] = []
        self.in_flight = self.max_in_flight = 0
        self.cond = threading.Condition()
        self.released = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with fake.cond:
                    fake.bodies.append(body)
                    fake.headers.append(dict(self.headers))
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                    fake.cond.notify_all()
                    if fake.gate:  # hold each request until `gate` are in flight (bounded wait)
                        fake.cond.wait_for(lambda: fake.in_flight >= fake.gate, timeout=0.5)
                    failing = fake.failures > 0
                    fake.failures -= failing
                    refused = fake.refuse is not None and fake.refuse in json.dumps(body)
                try:
                    if fake.delay:
                        fake.released.wait(fake.delay)
                    if failing:
                        status, payload = fake.fail_status, json.dumps({"error": f"busy, key was {self.headers.get('Authorization')}"}).encode()
                    elif refused:
                        status, payload = 400, b'{"error": {"message": "prompt refused"}}'
                    elif fake.raw is not None:
                        status, payload = 200, fake.raw
                    else:
                        status, payload = 200, json.dumps(fake.reply or fake.respond(self.path, body)).encode()
                finally:
                    with fake.cond:  # done before the reply: the client may send its next request as soon as it has it
                        fake.in_flight -= 1
                self.send(status, payload)

            def send(self, status: int, payload: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def respond(self, path: str, body: dict) -> dict:
        n = body.get("n", 1)
        if path.endswith("/chat/completions"):
            query = query_of(body["messages"][-1]["content"])
            choices = []
            for j in range(n):
                text = self.answer(query, j)
                choice = {"index": j, "message": {"role": "assistant", "content": f"Sure:\n```\n{text}\n```"}}
                if self.logprobs and body.get("logprobs"):
                    choice["logprobs"] = {"content": [{"token": t, "logprob": lp} for t, lp in zip(text.split(), token_logprobs(text))]}
                choices.append(choice)
            return {"object": "chat.completion", "choices": choices}
        prompts = body["prompt"] if isinstance(body["prompt"], list) else [body["prompt"]]
        choices = []
        for p, prompt in enumerate(prompts):
            for j in range(n):
                text = " " + self.answer(query_of(prompt), j)
                choice = {"index": p * n + j, "text": text, "finish_reason": "stop"}
                if self.logprobs and body.get("logprobs"):
                    choice["logprobs"] = {"token_logprobs": token_logprobs(text) + [None]}
                choices.append(choice)
        return {"object": "text_completion", "choices": choices}

    def stop(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def serve():
    servers: list[FakeLLM] = []

    def start(*args, **kwargs) -> FakeLLM:
        servers.append(FakeLLM(*args, **kwargs))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def fast(url: str, **options) -> HTTPProposer:
    """A proposer with quick retries and timeouts (tests never wait long)."""
    defaults = dict(retries=2, backoff=0.01, max_backoff=0.05, timeout=5.0)
    return HTTPProposer(url, "tiny", **{**defaults, **options})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- requests, batching, scores ------------------------------------------------------------------
def test_completions_batch_prompts_ask_n_samples_and_sum_token_logprobs(serve):
    server = serve()
    proposer = fast(server.url, batch_size=2, temperature=0.7, max_tokens=32)
    assert isinstance(proposer, Proposer)
    inputs = ["a", "b", "c", "d", "e"]
    results = proposer.propose(inputs, 3)
    sizes = sorted(len(b["prompt"]) if isinstance(b["prompt"], list) else 1 for b in server.bodies)  # arrival order varies
    assert sizes == [1, 2, 2]
    body = server.bodies[0]
    assert body["n"] == 3 and body["temperature"] == 0.7 and body["max_tokens"] == 32 and body["model"] == "tiny"
    assert body["stop"] == ["\n\n"] and body["logprobs"] == 1
    for x, candidates in zip(inputs, results):
        assert [(c.program, c.count) for c in candidates] == [(f"f({x})", 2), (f"g({x}, {x})", 1)]
        assert candidates[0].logprob == pytest.approx(TOKEN_LOGPROB * 1)  # one token, the None skipped
        assert candidates[1].logprob == pytest.approx(TOKEN_LOGPROB * 2)
    assert proposer.stats["requests"] == 3


def test_chat_sends_instructions_and_demonstrations_and_reads_fenced_programs(serve):
    server = serve()
    proposer = fast(server.url, api="chat", instructions="Write a program.", few_shot=1)
    proposer.fit([("a b", "f(a b)"), ("x y", "h(x y)")])
    [candidates] = proposer.propose(["a c"], 3)
    assert [c.program for c in candidates] == ["f(a c)", "g(a c, a c)"]
    assert candidates[0].logprob == pytest.approx(2 * TOKEN_LOGPROB)
    messages = server.bodies[0]["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[0]["content"] == "Write a program." and messages[2]["content"] == "f(a b)"  # the similar one
    assert server.bodies[0]["logprobs"] is True and "stop" not in server.bodies[0]


def test_chat_repair_shows_the_refused_program_and_the_solvers_message(serve):
    choice = {"message": {"role": "assistant", "content": "```\nf(a, c)\n```"}}
    fixed = {"object": "chat.completion", "choices": [{"index": j, **choice} for j in range(2)]}  # n=2 samples
    server = serve(reply=fixed)
    proposer = fast(server.url, api="chat", instructions="Write a program.")
    [candidates] = proposer.repair([Attempt("a c", "f(a c", "syntax error at line 1, column 6")], 2)
    assert [c.program for c in candidates] == ["f(a, c)"]
    messages = server.bodies[0]["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[1]["content"] == "Input: a c\nProgram:" and messages[2]["content"] == "f(a c"
    assert messages[3]["content"].startswith("The solver refused that program: syntax error at line 1, column 6")


def test_without_logprobs_the_score_is_the_log_sample_frequency(serve):
    server = serve(logprobs=False)
    [candidates] = fast(server.url).propose(["q"], 3)
    assert [c.logprob for c in candidates] == pytest.approx([math.log(2 / 3), math.log(1 / 3)])
    assert all(c.logprob <= 0 for c in candidates)


def test_greedy_asks_for_one_completion_at_temperature_zero(serve):
    server = serve()
    [[best]] = fast(server.url).propose(["q"], 4, sample=False)
    assert best.program == "f(q)" and server.bodies[0]["n"] == 1 and server.bodies[0]["temperature"] == 0.0


# -- cache ---------------------------------------------------------------------------------------
def test_cache_replays_replies_and_a_rerun_pays_nothing(serve, tmp_path):
    server = serve()
    cache = tmp_path / "llm-cache.jsonl"
    first = fast(server.url, cache_path=cache)
    greedy = first.propose(["a", "b"], 1, sample=False)
    assert first.propose(["a", "b"], 1, sample=False) == greedy and len(server.bodies) == 1  # no new request
    sampled = [first.propose(["a"], 3), first.propose(["a"], 3)]  # fresh samples: a second draw is asked for
    assert len(server.bodies) == 3
    rerun = fast(server.url, cache_path=cache)  # a new process reading the same file
    assert rerun.propose(["a", "b"], 1, sample=False) == greedy
    assert [rerun.propose(["a"], 3), rerun.propose(["a"], 3)] == sampled
    assert len(server.bodies) == 3 and rerun.stats["requests"] == 0 and rerun.stats["cache_hits"] == 4
    rerun.propose(["a"], 3, temperature=0.5)  # a different request is not in the cache
    assert len(server.bodies) == 4


def test_after_a_partial_failure_a_retried_call_sends_only_what_failed(serve):
    server = serve(refuse="Input: b", gate=3)  # the three requests are answered once all are in (or after 0.5 s)
    proposer = fast(server.url, batch_size=1)
    with pytest.raises(NesyError, match="HTTP 400.*prompt refused"):
        proposer.propose(["a", "b", "c"], 3)
    # A request not yet started when b failed is cancelled (on a loaded machine the gate may time
    # out first); the ones that were answered stay cached.
    first = [query_of(body["prompt"]) for body in server.bodies]
    assert "b" in first and len(first) == len(set(first))
    answered = set(first) - {"b"}
    server.refuse = None
    results = proposer.propose(["a", "b", "c"], 3)
    again = [query_of(body["prompt"]) for body in server.bodies[len(first):]]
    assert sorted(again) == sorted({"a", "b", "c"} - answered)  # what was answered came from the cache
    assert [cands[0].program for cands in results] == ["f(a)", "f(b)", "f(c)"]
    sent = len(server.bodies)
    proposer.propose(["a"], 3)  # the earlier call succeeded: this one asks for fresh samples
    assert len(server.bodies) == sent + 1


def test_a_truncated_cache_line_is_skipped(serve, tmp_path):
    server = serve()
    cache = tmp_path / "c.jsonl"
    fast(server.url, cache_path=cache).propose(["a"], 1, sample=False)
    with open(cache, "a") as f:
        f.write('{"key": "abc", "val')  # a crash mid-write
    fast(server.url, cache_path=cache).propose(["a"], 1, sample=False)
    assert len(server.bodies) == 1


# -- retries, limits, failures -------------------------------------------------------------------
def test_two_503s_are_retried_with_exponential_backoff(serve):
    server = serve(failures=2)
    proposer = fast(server.url, retries=3, backoff=0.01)
    waits: list[float] = []
    proposer.client._sleep = waits.append
    [candidates] = proposer.propose(["q"], 3)
    assert candidates[0].program == "f(q)" and len(server.bodies) == 3
    assert waits == pytest.approx([0.01, 0.02])


def test_retries_are_bounded_and_end_in_one_clear_error(serve):
    server = serve(failures=100)
    with pytest.raises(NesyError) as caught:
        fast(server.url, retries=2).propose(["q"], 1)
    assert len(server.bodies) == 3
    message = str(caught.value)
    assert server.url + "/completions" in message and "HTTP 503" in message and "3 attempts" in message
    assert "\n" not in message


def test_a_client_error_is_not_retried_and_the_key_never_shows(serve, monkeypatch, caplog):
    server = serve(failures=1, fail_status=401)
    monkeypatch.setenv("NESY_LLM_API_KEY", "sk-very-secret")
    proposer = fast(server.url)
    with caplog.at_level(logging.DEBUG), pytest.raises(NesyError) as caught:
        proposer.propose(["q"], 1)
    assert len(server.bodies) == 1 and server.headers[0]["Authorization"] == "Bearer sk-very-secret"
    assert "HTTP 401" in str(caught.value) and "check the API key" in str(caught.value)
    assert "sk-very-secret" not in str(caught.value) + repr(proposer) + repr(proposer.client) + caplog.text


def test_at_most_concurrency_requests_are_in_flight(serve):
    server = serve(gate=3)  # each request waits (0.5 s at most) for a third one that a client of 2 never sends
    proposer = fast(server.url, api="chat", concurrency=2)
    results = proposer.propose([f"q{i}" for i in range(6)], 2)
    assert len(server.bodies) == 6 and server.max_in_flight == 2
    assert [cands[0].program for cands in results] == [f"f(q{i})" for i in range(6)]


def test_a_slow_server_times_out_after_the_retries(serve):
    server = serve(delay=30.0)
    with pytest.raises(NesyError, match="timed out.*gave up after 2 attempts"):
        fast(server.url, timeout=0.2, retries=1).propose(["q"], 1)
    assert len(server.bodies) == 2


def test_an_unreachable_endpoint_is_one_clear_error():
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(NesyError) as caught:
        fast(url).propose(["a", "b", "c"], 2)
    assert str(caught.value) == f"LLM endpoint {url}/completions: connection refused (gave up after 3 attempts)"


@pytest.mark.parametrize(
    "raw, reply, cause",
    [
        (b"<html>502 Bad Gateway</html>", None, "malformed reply: not JSON"),
        (b"[1, 2]", None, "expected a JSON object"),
        (None, {"choices": [{"index": 0, "text": "f(x)"}]}, "1 choices for 1 prompt"),
        (None, {"choices": [{"index": 0, "text": 7}] * 2}, "completion text is int"),
        (None, {"choices": [{"text": "x", "logprobs": {"token_logprobs": ["NaN?"]}}] * 2}, "not a number"),
        (None, {"error": {"message": "model not found"}}, "the server reported an error"),
    ],
)
def test_malformed_replies_are_clear_errors(serve, raw, reply, cause):
    server = serve(raw=raw, reply=reply)
    with pytest.raises(NesyError, match="malformed|reported") as caught:
        fast(server.url).propose(["q"], 2)
    assert cause in str(caught.value) and server.url in str(caught.value)
    assert len(server.bodies) == 1  # a bad reply is not retried


def test_bad_options_are_refused_up_front():
    with pytest.raises(NesyError, match="http:// or https://"):
        HTTPProposer("ftp://127.0.0.1/v1", "m")
    with pytest.raises(NesyError, match="api must be"):
        HTTPProposer("http://127.0.0.1:1/v1", "m", api="embeddings")  # type: ignore[arg-type]
    with pytest.raises(NesyError, match="must contain '\\{input\\}'"):
        HTTPProposer("http://127.0.0.1:1/v1", "m", prompt_template="no slot")
    with pytest.raises(NesyError, match="cannot train a served model"):
        HTTPProposer("http://127.0.0.1:1/v1", "m", few_shot=0).fit([("a", "b")])


def test_fit_stores_demonstrations_that_later_prompts_show(serve):
    server = serve()
    proposer = fast(server.url, few_shot=2, select="first")
    report = proposer.fit([("a", "f(a)"), ("a", "other"), ("b", "f(b)"), ("c", "f(c)")])
    assert report.steps == 0 and report.examples == 3 and math.isnan(report.loss)
    proposer.propose(["b", "z"], 1, sample=False)
    prompt_b, prompt_z = server.bodies[0]["prompt"]
    assert "Program: f(a)" in prompt_b and "Program: f(c)" in prompt_b and "f(b)" not in prompt_b  # never its own
    assert prompt_z.count("Program: f(") == 2 and prompt_z.endswith("Input: z\nProgram:")


# -- a self-training loop whose endpoint goes away -----------------------------------------------
COLOURS = {"dax": "RED", "wif": "BLUE", "lug": "GREEN", "zorp": "PINK"}


def colour_program(query: str, j: int) -> str:
    return f'seq("{COLOURS.get(query, "GREY")}")'


def test_self_training_keeps_verified_traces_when_the_endpoint_goes_away(serve, tmp_path):
    server = serve(colour_program)

    class GoesAwayAfterFit(HTTPProposer):
        def fit(self, pairs, **options):
            report = super().fit(pairs, **options)
            server.stop()  # the port closes after round 0: round 1 finds no server
            return report

    task = Task.from_pairs("colours", [(w, c) for w, c in COLOURS.items()], sequence_solver())
    config = LoopConfig(rounds=3, k=2, start_fraction=0.5)
    with LocalExecutor(workers=1) as pool:
        trainer = SelfTrainer(task, GoesAwayAfterFit(server.url, "tiny", retries=1, backoff=0.01), pool, tmp_path, config=config)
        with pytest.raises(NesyError) as caught:
            trainer.run()
        trainer.close()
    assert str(caught.value).startswith(f"LLM endpoint {server.url}/completions: connection refused")
    with TraceStore.for_run(tmp_path) as store:
        kept = [t for t in store.query(verified_only=True) if t.verdict.status is Status.OK]
    assert sorted(t.input for t in kept) == ["dax", "wif"]  # round 0's pool, verified before the endpoint went away
    assert (tmp_path / "rounds.jsonl").read_text().count("\n") == 1

    again = serve(colour_program)  # the endpoint is back (on another port): the run resumes from round 1
    with LocalExecutor(workers=1) as pool:
        trainer = SelfTrainer(task, HTTPProposer(again.url, "tiny"), pool, tmp_path, config=config)
        result = trainer.run()
        trainer.close()
    assert result.resumed_from == 1 and result.rounds[-1].never_solved == 0.0
    assert sorted(result.verified.values()) == sorted(f'seq("{c}")' for c in COLOURS.values())
    assert all("Program: seq(" in p for p in again.bodies[0]["prompt"])  # restored verified programs: demonstrations


class FixesWhenTold(FakeLLM):
    """Writes every colour program without its closing parenthesis, unless the prompt shows the solver's message."""

    def respond(self, path: str, body: dict) -> dict:
        prompts = body["prompt"] if isinstance(body["prompt"], list) else [body["prompt"]]
        choices = []
        for p, prompt in enumerate(prompts):
            told = "The solver refused that program: syntax error" in prompt
            program = colour_program(query_of(prompt), 0)
            for j in range(body.get("n", 1)):
                choices.append({"index": p * body.get("n", 1) + j, "text": " " + (program if told else program[:-1])})
        return {"object": "text_completion", "choices": choices}


@pytest.mark.parametrize("self_repair", [False, True])
def test_self_repair_gives_refused_programs_back_with_the_solvers_message(tmp_path, self_repair):
    server = FixesWhenTold()
    try:
        task = Task.from_pairs("colours", list(COLOURS.items()), sequence_solver())
        config = LoopConfig(rounds=1, k=2, start_fraction=1.0, self_repair=self_repair)
        with LocalExecutor(workers=1) as pool:
            trainer = SelfTrainer(task, fast(server.url), pool, tmp_path, config=config)
            result = trainer.run()
            trainer.close()
    finally:
        server.stop()
    (round_,) = result.rounds
    assert round_.statuses == {"rejected": 4} and round_.accuracy == 0.0  # every sample lacks its ')'
    if not self_repair:
        assert round_.repaired == 0 and result.verified == {} and len(server.bodies) == 1
        return
    assert round_.repaired == 4 and sorted(result.verified.values()) == sorted(f'seq("{c}")' for c in COLOURS.values())
    repair_prompts = server.bodies[1]["prompt"]  # the second request: each refused program with the parser's message
    assert any('Program: seq("RED"\nThe solver refused that program: syntax error at line 1' in p for p in repair_prompts)
    with TraceStore.for_run(tmp_path) as store:
        origins = {t.origin.value for t in store.query(verified_only=True) if t.verdict.status is Status.OK}
    assert origins == {"repaired"}


def test_self_repair_skips_a_proposer_without_repair(tmp_path, caplog):
    server = FixesWhenTold()

    class ProposeOnly:  # the proposer protocol without the optional repair()
        def __init__(self, inner):
            self.inner = inner

        def propose(self, inputs, k, **options):
            return self.inner.propose(inputs, k, **options)

        def fit(self, pairs, **options):
            return self.inner.fit(pairs, **options)

    try:
        task = Task.from_pairs("colours", list(COLOURS.items()), sequence_solver())
        config = LoopConfig(rounds=1, k=2, start_fraction=1.0, self_repair=True)
        with LocalExecutor(workers=1) as pool, caplog.at_level(logging.INFO, logger="nesy.learn.loop"):
            trainer = SelfTrainer(task, ProposeOnly(fast(server.url)), pool, tmp_path, config=config)
            result = trainer.run()
            trainer.close()
    finally:
        server.stop()
    (round_,) = result.rounds
    assert round_.statuses == {"rejected": 4} and round_.repaired == 0 and len(server.bodies) == 1
    assert "self-repair skipped: ProposeOnly has no repair()" in caplog.text
