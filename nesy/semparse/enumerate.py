"""Programs consistent with one answer in one world: typed bottom-up search with observational equivalence.

A question about a world (a scene, a database) is answered by a program of a typed DSL whose
primitives read the world while it is bound. :func:`consistent_programs` builds programs smallest
first from the DSL's constants and primitives, runs each on the bound world as it is built, and
keeps one program per *state*: its type, the constants it uses and its value. Two programs with
the same state are interchangeable for every larger program on this world, so only the smaller is
kept; this makes the search polynomial in the number of distinct values instead of exponential in
program size. The result lists, per set of constants used, one program whose value is the answer.

With ``constants`` given (a multiset, e.g. the constants a question's words stand for) every
program must use each of them exactly once and nothing else, which keeps long programs in reach.

Only monomorphic DSLs are searched (type names without variables); programs are built from
declared primitives only, never parsed or evaluated as text.

Example:
    >>> from nesy.solvers.dsl.language import DSL
    >>> dsl = DSL("toy")
    >>> _ = dsl.primitive("add", ["int", "int"], "int", lambda a, b: a + b)
    >>> _ = dsl.primitive("neg", ["int"], "int", lambda a: -a)
    >>> for name, value in (("one", 1), ("two", 2), ("five", 5)):
    ...     _ = dsl.constant(name, "int", value)
    >>> [(f.program, f.constants) for f in consistent_programs(dsl, 3, max_size=3)]
    [('add(one, two)', ('one', 'two'))]
    >>> [f.program for f in consistent_programs(dsl, -3, max_size=6, constants=["two", "five"])]
    ['add(two, neg(five))']
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any, Callable, ContextManager, Sequence

from nesy.errors import NesyError
from nesy.solvers.dsl.language import DSL

log = logging.getLogger(__name__)

#: Exceptions a primitive may raise on a world where it is undefined (a failed ``unique``...).
FAILURES = (Exception,)


@dataclass(frozen=True)
class Found:
    """A program whose value on the world is the answer.

    Attributes:
        program: Call syntax (``count(filter_color(scene(), red))``).
        constants: The constants it uses, in the order they appear.
        size: Number of nodes (primitives and constants).
        slots: With required ``constants``: for each constant of the program, in order, the
            position in ``constants`` it stands for (so a word order can be read off).
    """

    program: str
    constants: tuple[str, ...]
    size: int
    slots: tuple[int, ...] = ()


@dataclass(frozen=True)
class Atom:
    """A sub-program built elsewhere (a phrase already read), offered to the search as one piece.

    With required ``constants``, an atom stands for the run ``first..last`` of them and uses each
    exactly once, so a search over atoms builds only the part of the program above them.

    Attributes:
        program: Call syntax of the sub-program.
        type: Its DSL type.
        value: Its value on the bound world.
        first: The first required constant it covers (an index into ``constants``).
        last: The last one it covers.
        constants: Its constants, in the order they appear in ``program``.
        slots: For each of them, its index into ``constants``.
        seen_on: Its values on the probe worlds (``probes``), if any are given.
        size: The size it counts for in the search (1: it costs as little as a constant).
    """

    program: str
    type: str
    value: Any
    first: int
    last: int
    constants: tuple[str, ...]
    slots: tuple[int, ...]
    seen_on: tuple[Any, ...] = ()
    size: int = 1


@dataclass(frozen=True)
class _State:
    text: str
    type: str
    value: Any
    used: Any  #: bit mask over the required constants, or a sorted tuple of constant names
    size: int
    constants: tuple[str, ...]
    slots: tuple[int, ...] = ()
    fills: tuple[str, ...] = ()  #: the constants standing in wildcard positions (part of the state)
    seen_on: tuple[Any, ...] = ()  #: the values on the probe worlds (part of the state; ``_FAILED`` where undefined)
    shape: tuple = ()  #: with ``distinct_splits``: the calls on its span down to where its constants split (part of the state)


class _Failed:
    """The value of a program on a probe world where it is undefined."""

    def __repr__(self) -> str:
        return "<failed>"


_FAILED = _Failed()


def _headed_split(args: Sequence["_State"]) -> tuple:
    """Each argument's head call (or constant) with the constants it covers: how a call splits its constants."""
    return tuple((a.text.split("(", 1)[0], a.used) for a in args)


def _same_answer(value: Any, answer: Any) -> bool:
    return type(value) is type(answer) and value == answer


def _type_name(t: Any, where: str) -> str:
    name = str(t)
    if not name.isidentifier():
        raise NesyError(f"{where}: type {name!r} is not a plain type name; only monomorphic DSLs are searched")
    return name


def consistent_programs(
    dsl: DSL,
    answer: Any,
    *,
    max_size: int,
    constants: "Sequence[str | None] | None" = None,
    bind: Callable[[], ContextManager[Any]] | None = None,
    max_states: int = 200_000,
    max_steps: int | None = None,
    deadline: float | None = None,
    ordered: bool = False,
    every: bool = False,
    max_found: int = 1000,
    slack: int | None = None,
    answer_type: str | None = None,
    probes: Sequence[Callable[[], ContextManager[Any]]] = (),
    atoms: Sequence[Atom] = (),
    distinct_splits: bool = False,
    split_heads: bool = False,
) -> list[Found]:
    """Smallest programs whose value is ``answer`` (one per set of constants used).

    Args:
        dsl: The language (monomorphic types).
        answer: The wanted value (compared with ``==`` and the same Python type, so ``True`` is not ``1``).
        max_size: Most nodes per program.
        constants: If given, every program uses exactly these constant names (a multiset) and no other;
            a ``None`` among them is a wildcard that any one constant may fill (programs with
            different fills are kept apart, so every fill that gives the answer is found).
        bind: Called once around the search to make the world visible to the primitives.
        max_states: Stop growing once this many states are kept.
        max_steps: Stop once this many calls have been run (each a primitive applied to one
            tuple of kept arguments): a budget of work, so that what is found does not depend
            on the machine's speed or load.
        deadline: ``time.monotonic()`` value after which the search stops with what it has
            (a safety cap; what it finds depends on the machine, so it is logged when hit).
        ordered: With ``constants`` (given in the order of the words they stand for): every
            sub-program must use a contiguous run of them (a projective, phrase-structure bias:
            each sub-program stands for a span of the question).
        every: Keep more programs whose value is the answer than the first per set of constants:
            the first for each top call, its arguments' calls and their constants (sub-programs
            are still one per state).
        max_found: With ``every``, stop collecting after this many.
        slack: Stop once programs this many nodes larger than the first one found have been built.
        answer_type: If given, only programs of this DSL type count as found (an ``int`` answer is
            not an object whose index happens to be that number).
        probes: Binders of other worlds. A program's values there are part of its state, so two
            programs that agree on the question's world by coincidence but differ elsewhere
            (``union(scene(), X)`` and ``same_size(X)`` on a world where both are every object)
            are both kept; the answer is still wanted on the question's world only.
        atoms: With ``constants``: sub-programs offered as single pieces (:class:`Atom`), kept
            before anything built from the constants, so an equal value built again is not kept.
        distinct_splits: With ``constants``: also tell states apart by their *shape*, the calls
            on their span down to where its constants split, and that split (which run of
            constants each argument there covers). On one world many programs share a value by
            coincidence (``unique(union(A, B))`` and ``unique(filter_size(intersect(...), small))``
            both the one object asked about); plain observational equivalence builds only the
            first, so the reading that other questions share may never be built. It costs more
            states: use it with a small ``slack``.
        split_heads: With ``distinct_splits``: the split also names the call that heads each of
            its arguments, so the set ``filter_material(same_shape(unique(A)), metal)`` stays apart
            from ``filter_material(A, metal)`` where both are empty.

    Returns:
        Programs in order of size (with ``constants`` given: only those that use all of them).
    """
    required = list(constants) if constants is not None else None
    signatures = [
        (p, tuple(_type_name(t, f"primitive {p.name}") for t in p.arg_types), _type_name(p.return_type, f"primitive {p.name}"))
        for p in dsl.primitives.values()
    ]
    by_size: dict[int, dict[str, list[_State]]] = defaultdict(lambda: defaultdict(list))
    seen: set[tuple[str, Any, Any]] = set()
    found: list[Found] = []
    full = (1 << len(required)) - 1 if required is not None else None

    splits: set[Any] = set()
    atom_keys: set[Any] = set()  #: with ``distinct_splits``: a phrase's value over its span is not built again
    masks = required is not None
    check_order = ordered and masks
    wildcards = masks and None in required  # type: ignore[operator]

    def hit(state: _State) -> bool:
        return (answer_type is None or state.type == answer_type) and _same_answer(state.value, answer) and (
            full is None or state.used == full)

    def state_key(state: _State) -> tuple:
        return (state.type, state.used, _key(state.value), state.fills, tuple(_key(v) for v in state.seen_on))

    def keep(state: _State, split: Any = None) -> None:
        key = state_key(state)
        if ordered and full is not None and not _contiguous(state.used):
            return
        if key in seen:
            if every and len(found) < max_found and hit(state):
                if split is None or split not in splits:
                    splits.add(split)
                    found.append(Found(state.text, state.constants, state.size, state.slots))
            return
        if split is not None:
            splits.add(split)
        seen.add(key)
        by_size[state.size][state.type].append(state)
        if hit(state):
            found.append(Found(state.text, state.constants, state.size, state.slots))

    def elsewhere(primitive: Any, args: Sequence[_State]) -> tuple[Any, ...]:
        out = []
        for j, probe in enumerate(probes):
            values = [a.seen_on[j] for a in args]
            if any(v is _FAILED for v in values):
                out.append(_FAILED)
                continue
            try:
                with probe():
                    out.append(primitive.impl(*values))
            except FAILURES:
                out.append(_FAILED)
        return tuple(out)

    def constant(c: Any, name: str, *rest: Any) -> _State:
        return _State(name, _type_name(c.type, f"constant {name}"), c.value, *rest, seen_on=(c.value,) * len(probes))

    steps, budget = 0, max_steps if max_steps is not None else float("inf")
    with (bind() if bind else nullcontext()):
        if required is None:
            for c in dsl.constants.values():
                keep(constant(c, c.name, (c.name,), 1, (c.name,)))
        else:
            for i, name in enumerate(required):
                if name is None:
                    for c in dsl.constants.values():
                        keep(constant(c, c.name, 1 << i, 1, (c.name,), (i,), (c.name,)))
                    continue
                if name not in dsl.constants:
                    raise NesyError(f"constant {name!r} is not declared in DSL {dsl.name!r}")
                c = dsl.constants[name]
                keep(constant(c, name, 1 << i, 1, (name,), (i,)))
            for atom in atoms:
                used = ((1 << (atom.last + 1)) - 1) ^ ((1 << atom.first) - 1)
                seen_on = atom.seen_on if probes else ()
                state = _State(atom.program, atom.type, atom.value, used, atom.size, atom.constants, atom.slots, seen_on=seen_on)
                keep(state)
                atom_keys.add(state_key(state))
        for size in range(1, max_size + 1):
            if slack is not None and found and size > found[0].size + slack:
                break
            for primitive, arg_types, returns in signatures:
                # keep() inlined: a state equal to a kept one is dropped before its text is built
                impl, name, wanted = primitive.impl, primitive.name, answer_type is None or returns == answer_type
                for args in _argument_tuples(by_size, arg_types, size - 1, masks):
                    used = _union_used(args, masks)
                    if check_order and not _contiguous(used):
                        continue
                    steps += 1
                    if steps > budget:
                        log.debug("search stopped at size %d after %d steps with %d states", size, max_steps, len(seen))
                        return found
                    try:
                        value = impl(*[a.value for a in args])
                    except FAILURES:
                        continue
                    fills = tuple(sorted(f for a in args for f in a.fills)) if wildcards else ()
                    seen_on = elsewhere(primitive, args) if probes else ()
                    key = (returns, used, _key(value), fills, tuple(_key(v) for v in seen_on) if probes else ())
                    shape: tuple = ()
                    if distinct_splits and key not in atom_keys:
                        same = [a for a in args if a.used == used]
                        split_at = _headed_split(args) if split_heads else tuple(a.used for a in args)
                        shape = (name, *same[0].shape) if len(same) == 1 and same[0].shape else (name, split_at)
                        key = (*key, shape)
                    if key in seen:
                        if every and len(found) < max_found and wanted and _same_answer(value, answer) and (full is None or used == full):
                            split = (name, _headed_split(args))
                            if split not in splits:
                                splits.add(split)
                                found.append(Found(f"{name}({', '.join(a.text for a in args)})", tuple(n for a in args for n in a.constants),
                                                   size, tuple(k for a in args for k in a.slots)))
                        continue
                    if every:
                        splits.add((name, _headed_split(args)))
                    seen.add(key)
                    state = _State(f"{name}({', '.join(a.text for a in args)})", returns, value, used, size,
                                   tuple(n for a in args for n in a.constants), tuple(k for a in args for k in a.slots), fills, seen_on, shape)
                    by_size[size][returns].append(state)
                    if wanted and _same_answer(value, answer) and (full is None or used == full):
                        found.append(Found(state.text, state.constants, size, state.slots))
                if len(seen) >= max_states:
                    log.debug("search stopped at size %d with %d states after %d steps", size, len(seen), steps)
                    return found
                if deadline is not None and time.monotonic() > deadline:
                    log.info("search stopped by its time limit at size %d after %d steps with %d states", size, steps, len(seen))
                    return found
    log.debug("search done after %d steps with %d states", steps, len(seen))
    return found


def _contiguous(mask: int) -> bool:
    """Whether the set bits of ``mask`` are one run (``0b0110`` yes, ``0b0101`` no)."""
    if mask == 0:
        return True
    run = mask >> ((mask & -mask).bit_length() - 1)
    return run & (run + 1) == 0


def _key(value: Any) -> Any:
    try:
        hash(value)
        return (type(value).__name__, value)
    except TypeError:
        return (type(value).__name__, repr(value))


def _union_used(args: Sequence[_State], masks: bool) -> Any:
    if masks:
        used = 0
        for a in args:
            used |= a.used
        return used
    return tuple(sorted(n for a in args for n in a.used))


def _argument_tuples(by_size, arg_types: tuple[str, ...], total: int, masks: bool):
    """Every tuple of kept states with these types whose sizes sum to ``total`` (masks disjoint)."""
    if not arg_types:
        if total == 0:
            yield ()
        return
    if total < len(arg_types):
        return
    if len(arg_types) == 1:  # the common arities without the recursion (same tuples, same order)
        for state in by_size.get(total, {}).get(arg_types[0], ()):
            yield (state,)
        return
    if len(arg_types) == 2:
        first, second = arg_types
        for size in range(1, total):
            rights = by_size.get(total - size, {}).get(second, ())
            if not rights:
                continue
            for left in by_size.get(size, {}).get(first, ()):
                if masks:
                    used = left.used
                    for right in rights:
                        if not right.used & used:
                            yield (left, right)
                else:
                    for right in rights:
                        yield (left, right)
        return

    def extend(i: int, left: int, chosen: list[_State], used: int):
        if i == len(arg_types) - 1:
            for state in by_size.get(left, {}).get(arg_types[i], ()):
                if not masks or not (state.used & used):
                    yield (*chosen, state)
            return
        for size in range(1, left - (len(arg_types) - i - 1) + 1):
            for state in by_size.get(size, {}).get(arg_types[i], ()):
                if masks and state.used & used:
                    continue
                yield from extend(i + 1, left - size, [*chosen, state], used | state.used if masks else 0)

    yield from extend(0, total, [], 0)
