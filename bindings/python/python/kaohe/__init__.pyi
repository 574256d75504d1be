"""Type stubs of the kaohe package (see __init__.py)."""

import os
from typing import Any, Dict, List, Literal, Optional, Union

API_VERSION: int

Error = Dict[str, Any]
"""One error as data: code, severity, message, help?, and file/line/column/end | path | sheet/cell."""

Facts = Union[Dict[str, Any], str, bytes, bytearray, "os.PathLike[str]"]
Detail = Literal["full", "items", "totals"]

class KaoheError(Exception):
    errors: List[Error]
    def __init__(self, errors: List[Error]) -> None: ...

class RulesetError(KaoheError): ...
class FactError(KaoheError): ...
class EvaluationError(KaoheError): ...
class OptionsError(KaoheError, ValueError): ...

class Ruleset:
    name: str
    @classmethod
    def from_str(cls, text: str, name: str = ...) -> "Ruleset": ...
    @classmethod
    def from_file(cls, path: Union[str, "os.PathLike[str]"]) -> "Ruleset": ...
    def check(self) -> List[Error]: ...
    def evaluate(
        self,
        facts: Facts,
        *,
        detail: Optional[Detail] = ...,
        period: Optional[str] = ...,
        unit: Optional[str] = ...,
        lang: Optional[str] = ...,
    ) -> Dict[str, Any]: ...
    def evaluate_json(
        self,
        facts: Facts,
        *,
        detail: Optional[Detail] = ...,
        period: Optional[str] = ...,
        unit: Optional[str] = ...,
        lang: Optional[str] = ...,
    ) -> str: ...
    def evaluate_utf8(
        self,
        facts: Facts,
        *,
        detail: Optional[Detail] = ...,
        period: Optional[str] = ...,
        unit: Optional[str] = ...,
        lang: Optional[str] = ...,
    ) -> bytes: ...
    def schema(self) -> Dict[str, Any]: ...
    def template(self) -> bytes: ...
    def import_ledger(
        self, ledger: Union[bytes, bytearray, str, "os.PathLike[str]"], *, lang: Optional[str] = ...
    ) -> Dict[str, Any]: ...
    def diff(self, new: "Ruleset", facts: Union[Dict[str, Any], str, "os.PathLike[str]"]) -> Dict[str, Any]: ...

def check(text: str, name: str = ...) -> Dict[str, Any]: ...
def version() -> Dict[str, Any]: ...
