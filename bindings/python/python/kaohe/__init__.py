"""kaohe (考核): score county units under a ruleset, every point explained.

A thin, idiomatic layer over the native module ``kaohe._native`` (Rust, PyO3),
which speaks kaohe's JSON contract (docs/api.md in the repository)::

    import kaohe
    miluo = kaohe.Ruleset.from_file("rulesets/miluo-2026/miluo-2026.rules")
    result = miluo.evaluate("rulesets/miluo-2026/examples/2026-04.json")
    result["results"][0]["total"]      # Decimal('...')

Results are plain dicts and lists; every score (``total``, ``amount``, ``raw``,
``applied``, ``deductions``, ``bonuses``, ``subtotal``, ``allot``,
``converted``, and ``before``/``after``/``delta`` of a diff) is a
``decimal.Decimal``. Failures raise :class:`RulesetError`, :class:`FactError`,
:class:`EvaluationError` or :class:`OptionsError`, whose ``.errors`` is the
list of errors as data (``code``, ``severity``, ``message``, ``help`` and the
location: ``file``/``line``/``column``/``end``, ``path`` or ``sheet``/``cell``).
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import math as _math
import os as _os
from decimal import Decimal as _Decimal

from . import _native

__all__ = [
    "API_VERSION",
    "EvaluationError",
    "FactError",
    "KaoheError",
    "OptionsError",
    "Ruleset",
    "RulesetError",
    "check",
    "version",
]

API_VERSION: int = _native.API_VERSION

# The keys whose string values are scores: the native module's list, the one
# its dict builder (src/objects.rs) converts.
_DECIMAL_KEYS = frozenset(_native.DECIMAL_KEYS)


class KaoheError(Exception):
    """A failed kaohe operation; ``.errors`` lists every error as a dict."""

    def __init__(self, errors: list) -> None:
        self.errors = errors
        first = next((e for e in errors if e.get("severity") == "error"), errors[0] if errors else {})
        where = _where(first)
        super().__init__(
            f"{len(errors)} error(s); the first: {where}{first.get('message', '')}"
        )


class RulesetError(KaoheError):
    """The ruleset has errors (each with ``file``, ``line``, ``column``, ``end``)."""


class FactError(KaoheError):
    """The facts have errors: each with a JSON ``path`` (a fact file) or a ``sheet`` and ``cell`` (a ledger)."""


class EvaluationError(KaoheError):
    """Evaluation failed (e.g. a division by zero), located in the ruleset."""


class OptionsError(KaoheError, ValueError):
    """An option of :meth:`Ruleset.evaluate` is wrong (each error with its ``path``)."""


def _where(error: dict) -> str:
    if "file" in error:
        return f"{error['file']}:{error.get('line')}:{error.get('column')}: "
    if "path" in error:
        return f"{error['path']}: "
    if "sheet" in error:
        return f"{error['sheet']}!{error.get('cell', '')}: "
    return ""


def _raise(native: _native.NativeError) -> None:
    errors = _json.loads(native.args[0])["errors"]
    codes = [e.get("code", "") for e in errors]
    if any(c.startswith(("kaohe::facts::", "kaohe::ledger::")) for c in codes):
        cls = FactError
    elif any(c.startswith("kaohe::eval::") for c in codes):
        cls = EvaluationError
    elif any(c.startswith("kaohe::api::") for c in codes):
        cls = OptionsError
    else:
        cls = RulesetError
    raise cls(errors) from None


def _decimals(value, key=None):
    """The JSON value with every score as a Decimal (record attributes stay as they are)."""
    if isinstance(value, dict):
        return {
            k: (v if k == "attributes" else _decimals(v, k)) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_decimals(v) for v in value]
    if key in _DECIMAL_KEYS and isinstance(value, str):
        return _Decimal(value)
    return value


def _evaluation(v: dict) -> dict:
    """The evaluation JSON (format_version 1) with every score a Decimal, in
    place: the same as `_decimals`, but walking only where scores are (a test
    checks the two agree), several times faster on large results."""
    D = _Decimal
    for r in v["results"]:
        r["total"] = D(r["total"])
        if "converted" in r:
            r["converted"] = D(r["converted"])
        for c in r["categories"]:
            for k in ("allot", "deductions", "bonuses", "subtotal"):
                x = c.get(k)
                if x is not None:
                    c[k] = D(x)
        for item in r["items"]:
            item["raw"] = D(item["raw"])
            item["amount"] = D(item["amount"])
            for limit in item["limits"]:
                limit["raw"] = D(limit["raw"])
                limit["applied"] = D(limit["applied"])
            for counted in item.get("records", ()):
                counted["amount"] = D(counted["amount"])
    for ranking in v["rankings"]:
        for entry in ranking["entries"]:
            entry["total"] = D(entry["total"])
    return v


def _facts_json(value) -> str:
    """JSON text of facts given as a dict: Decimals and ints written exactly,
    dates as YYYY-MM-DD; a float is written as its shortest repr."""
    out: list = []

    def put(v) -> None:
        if v is None:
            out.append("null")
        elif v is True:
            out.append("true")
        elif v is False:
            out.append("false")
        elif isinstance(v, str):
            out.append(_json.dumps(v, ensure_ascii=False))
        elif isinstance(v, int):
            out.append(str(v))
        elif isinstance(v, _Decimal):
            if not v.is_finite():
                raise FactError([{"code": "kaohe::facts::wrong_type", "severity": "error",
                                  "message": f"a number must be finite, found {v}"}])
            out.append(format(v, "f"))
        elif isinstance(v, float):
            if not _math.isfinite(v):
                raise FactError([{"code": "kaohe::facts::wrong_type", "severity": "error",
                                  "message": f"a number must be finite, found {v}"}])
            out.append(repr(v))
        elif isinstance(v, (_dt.date, _dt.datetime)):
            out.append('"' + v.isoformat()[:10] + '"')
        elif isinstance(v, dict):
            out.append("{")
            for i, (k, item) in enumerate(v.items()):
                if i:
                    out.append(",")
                out.append(_json.dumps(str(k), ensure_ascii=False))
                out.append(":")
                put(item)
            out.append("}")
        elif isinstance(v, (list, tuple)):
            out.append("[")
            for i, item in enumerate(v):
                if i:
                    out.append(",")
                put(item)
            out.append("]")
        else:
            raise TypeError(f"cannot write {type(v).__name__} into a fact file")

    put(value)
    return "".join(out)


def _facts_input(facts, raw=False):
    """``("json", text)`` or ``("ledger", bytes)`` for the facts given to
    :meth:`Ruleset.evaluate` (a dict, JSON text, a path or bytes). With
    ``raw``, JSON given as bytes or a path stays bytes (not decoded)."""
    if isinstance(facts, dict):
        return "json", _facts_json(facts)
    if isinstance(facts, (bytes, bytearray)):
        if bytes(facts[:2]) == b"PK":
            return "ledger", bytes(facts)
        return "json", bytes(facts) if raw else bytes(facts).decode("utf-8")
    if isinstance(facts, str) and facts.lstrip().startswith("{"):
        return "json", facts
    if isinstance(facts, (str, _os.PathLike)):
        path = _os.fspath(facts)
        if path.lower().endswith(".xlsx"):
            with open(path, "rb") as f:
                return "ledger", f.read()
        if raw:
            with open(path, "rb") as f:
                return "json", f.read()
        with open(path, encoding="utf-8") as f:
            return "json", f.read()
    raise TypeError(
        f"facts must be a dict, a JSON string, a path or bytes, not {type(facts).__name__}"
    )


def _options(detail, period, unit, lang=None) -> str:
    options = {}
    if lang is not None:
        options["lang"] = lang
    if detail is not None:
        options["detail"] = detail
    if period is not None:
        options["period"] = str(period)
    if unit is not None:
        options["unit"] = unit
    return _json.dumps(options, ensure_ascii=False)


class Ruleset:
    """A checked ruleset, ready to evaluate many times (also from many threads:
    the native code releases the interpreter while it works)."""

    __slots__ = ("_compiled", "name")

    def __init__(self, compiled, name: str) -> None:
        self._compiled = compiled
        self.name = name

    @classmethod
    def from_str(cls, text: str, name: str = "ruleset.rules") -> "Ruleset":
        """Compiles a ruleset's source; raises :class:`RulesetError` with every diagnostic."""
        try:
            return cls(_native.compile(name, text), name)
        except _native.NativeError as e:
            _raise(e)
            raise  # unreachable

    @classmethod
    def from_file(cls, path) -> "Ruleset":
        """Reads and compiles a ruleset file (UTF-8); errors name the path."""
        path = _os.fspath(path)
        with open(path, encoding="utf-8") as f:
            return cls.from_str(f.read(), path)

    def check(self) -> list:
        """The checker's warnings (a compiled ruleset has no errors), as dicts."""
        return _json.loads(self._compiled.warnings())["diagnostics"]

    def evaluate(self, facts, *, detail=None, period=None, unit=None, lang=None) -> dict:
        """Evaluates facts and returns the evaluation (``format_version`` 1) as a dict.

        ``facts`` is a dict (a fact file's content), a JSON string (starting with
        ``{``), a path (``str`` or ``os.PathLike``) to a fact file or to a
        filled-in Excel ledger (``.xlsx``), or the bytes of either.
        ``detail`` is ``"full"`` (default), ``"items"`` or ``"totals"``;
        ``period`` (``"2026-04"``, ``"2026"``) and ``unit`` keep only those results.
        ``lang`` (``"zh"`` or ``"en"``, default English) is the language of the
        errors' messages; their codes and locations are the same in both.
        """
        options = _options(detail, period, unit, lang)
        kind, payload = _facts_input(facts)
        try:
            if kind == "ledger":
                return _evaluation(_json.loads(self._compiled.evaluate_ledger(payload, options)))
            # The dicts are built natively from the Rust result: the same
            # objects as json.loads of evaluate_json's text with every score a
            # Decimal (a test compares the two), without the text in between.
            return self._compiled.evaluate_objects(payload, options)
        except _native.NativeError as e:
            _raise(e)
            raise  # unreachable

    def evaluate_json(self, facts, *, detail=None, period=None, unit=None, lang=None) -> str:
        """As :meth:`evaluate`, but the evaluation JSON text itself."""
        options = _options(detail, period, unit, lang)
        kind, payload = _facts_input(facts)
        try:
            if kind == "ledger":
                return self._compiled.evaluate_ledger(payload, options)
            return self._compiled.evaluate(payload, options)
        except _native.NativeError as e:
            _raise(e)
            raise  # unreachable

    def evaluate_utf8(self, facts, *, detail=None, period=None, unit=None, lang=None) -> bytes:
        """As :meth:`evaluate_json`, with the evaluation JSON as UTF-8 ``bytes``:
        the fastest call (docs/performance.md). Facts given as ``bytes`` (or a
        path) are read in place, so JSON bytes in and out cross without any
        ``str`` being built on either side: for a host that reads facts from a
        request or file and writes the result back out."""
        options = _options(detail, period, unit, lang)
        kind, payload = _facts_input(facts, raw=True)
        try:
            if kind == "ledger":
                return self._compiled.evaluate_ledger(payload, options).encode("utf-8")
            if isinstance(payload, str):
                payload = payload.encode("utf-8")
            return self._compiled.evaluate_utf8(payload, options)
        except _native.NativeError as e:
            _raise(e)
            raise  # unreachable

    def schema(self) -> dict:
        """The JSON Schema of the fact files this ruleset accepts."""
        return _json.loads(self._compiled.schema())

    def template(self) -> bytes:
        """The blank Excel ledger (台账) of the ruleset, as the bytes of an .xlsx file."""
        try:
            return self._compiled.template()
        except _native.NativeError as e:
            _raise(e)
            raise  # unreachable

    def import_ledger(self, ledger, *, lang=None) -> dict:
        """Reads a filled-in ledger (a path or bytes) into a fact file (a dict);
        raises :class:`FactError` with every bad cell (messages in ``lang``,
        ``"zh"`` or ``"en"``, default English)."""
        if not isinstance(ledger, (bytes, bytearray)):
            with open(_os.fspath(ledger), "rb") as f:
                ledger = f.read()
        options = _options(None, None, None, lang)
        try:
            return _json.loads(
                self._compiled.import_ledger(bytes(ledger), options), parse_float=_Decimal
            )
        except _native.NativeError as e:
            _raise(e)
            raise  # unreachable

    def diff(self, new: "Ruleset", facts) -> dict:
        """The impact of changing this ruleset to ``new`` on ``facts`` (a dict, JSON string or path)."""
        if isinstance(facts, dict):
            text = _facts_json(facts)
        elif isinstance(facts, str) and facts.lstrip().startswith("{"):
            text = facts
        else:
            with open(_os.fspath(facts), encoding="utf-8") as f:
                text = f.read()
        try:
            return _decimals(
                _json.loads(
                    _native.diff(self.name, self._source(), new.name, new._source(), text)
                )
            )
        except _native.NativeError as e:
            _raise(e)
            raise  # unreachable

    def _source(self) -> str:
        return self._compiled.source()

    def __repr__(self) -> str:
        return f"kaohe.Ruleset({self.name!r})"


def check(text: str, name: str = "ruleset.rules") -> dict:
    """Checks a ruleset's source without raising: ``{"api_version": 1, "ok": bool, "diagnostics": [...]}``."""
    return _json.loads(_native.check(name, text))


def version() -> dict:
    """``{"api_version": 1, "format_version": 1, "engine": "kaohe …"}``."""
    return _json.loads(_native.version())
