"""Plain-data messages from solver workers to the parent.

A worker runs untrusted programs; should one ever take a worker over, the channel back to the
parent must not become a way in. A pickle can name any importable callable and have the reader
call it, so the parent reads worker messages with :func:`loads`, which builds plain data only
(None, bool, int, float, complex, str, bytes, and tuples, lists, dicts, sets and frozensets of
them) and refuses every other class or function a message names (:class:`NotPlainData`).
Workers write messages with :func:`dumps`, which refuses the same things on their side, so a
solver that returns, say, a :class:`fractions.Fraction` gets a clear error verdict instead of a
message the parent would refuse. Verdict values are meant to be JSON-friendly anyway (see
:class:`nesy.verdict.Verdict`).

Both sides cost nothing per plain object: the C pickler and unpickler call back into Python only
for objects that are not of a built-in plain type.

Example:
    >>> loads(dumps(("results", [(0, ("ok", 4, "ran", None, {"wall_seconds": 0.1})), (1, {1.5j, -2})])))
    ('results', [(0, ('ok', 4, 'ran', None, {'wall_seconds': 0.1})), (1, {1.5j, -2})])
    >>> import fractions
    >>> try:
    ...     dumps(fractions.Fraction(1, 3))
    ... except NotPlainData as exc:
    ...     print(exc)
    a Fraction is not plain data (only None, bool, int, float, complex, str, bytes and tuples, lists, dicts and sets of them)
"""

from __future__ import annotations

import io
import pickle
from typing import Any

#: Types the pickler writes with its own opcodes: never handed to ``reducer_override``.
_PLAIN = (type(None), bool, int, float, str, bytes, tuple, list, dict, set, frozenset)
#: The only name a plain message may ask the reader for (the pickler writes complex numbers as
#: a call of ``complex``, which builds a number from two floats and nothing else).
_ALLOWED_GLOBALS = {("builtins", "complex")}
_WHAT = "only None, bool, int, float, complex, str, bytes and tuples, lists, dicts and sets of them"


class NotPlainData(pickle.PicklingError, pickle.UnpicklingError):
    """A message holds (or names) something other than plain data."""


class _PlainPickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is complex or obj is complex:
            return NotImplemented  # pickled as a call of complex with two floats
        if isinstance(obj, _PLAIN) and type(obj) not in _PLAIN:
            raise NotPlainData(f"a {type(obj).__name__} (a subclass of {type(obj).__mro__[1].__name__}) is not plain data ({_WHAT})")
        raise NotPlainData(f"a {type(obj).__name__} is not plain data ({_WHAT})")


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise NotPlainData(f"the message names {module}.{name}, which is not plain data ({_WHAT})")

    def persistent_load(self, pid: Any) -> Any:
        raise NotPlainData("the message holds a persistent reference, which is not plain data")


def dumps(message: Any) -> bytes:
    """``message`` pickled, if it is plain data.

    Raises:
        NotPlainData: It holds another kind of object (a subclass of a plain type included).
    """
    buffer = io.BytesIO()
    _PlainPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(message)
    return buffer.getvalue()


def loads(data: bytes) -> Any:
    """The plain data pickled in ``data``.

    Raises:
        NotPlainData: The pickle names a class or function (other than ``complex``).
        pickle.UnpicklingError, EOFError, ValueError: It is not a well-formed pickle.
    """
    return _PlainUnpickler(io.BytesIO(data)).load()
