"""medcode's exception classes, and the mapping from the extension's
``NativeError(code, message)`` to them."""

from __future__ import annotations

import enum
from typing import Optional


class ErrorCode(enum.IntEnum):
    """The C ABI's ``MEDCODE_ERR_*`` codes (medcode-ffi/include/medcode.h),
    shared by the Python package's errors."""

    NULL = -1
    UTF8 = -2
    SYNTAX = -3
    DATE = -4
    PANIC = -5
    TOO_LONG = -6
    NUL = -7
    SYSTEM = -8
    INTERNAL = -9
    CONFIG = -10
    KIND = -11
    CLAIM = -12
    OPTIONS = -13


class MedcodeError(Exception):
    """An error reported by medcode, with its message and ``code``."""

    def __init__(self, message: str, code: Optional[ErrorCode] = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class CodeSyntaxError(MedcodeError, ValueError):
    """The string is not a code of the system's syntax (or has a lone surrogate, a NUL, is too long)."""


class DateError(MedcodeError, ValueError):
    """The date is not a real date."""


class UnknownSystemError(MedcodeError, ValueError):
    """The system is not one of icd10cm, icd10pcs, cpt, hcpcs."""


class ConfigError(MedcodeError, ValueError):
    """The engine configuration is invalid, or an edit table could not be loaded."""


class ClaimError(MedcodeError, ValueError):
    """A claim's text cannot be handed to medcode: a NUL character, or a lone
    surrogate (not encodable as UTF-8). A claim that is text but not a claim
    is not an error: its report holds a ``malformed-claim`` finding."""


class GroupError(MedcodeError, ValueError):
    """A claim ``Engine.group`` cannot group: text that is not a claim, an
    outpatient or professional claim, or a claim no MS-DRG version groups
    (no discharge date and no ``version``, or a discharge before
    2022-10-01). The message is the ``error`` that ``medcode group``,
    ``group_file`` and ``group_arrow`` give such a claim. A claim CMS's
    grouper cannot group (an invalid principal diagnosis, ...) is not an
    error: it is grouped, with its ``return_code``."""


class GroupOptionsError(MedcodeError, ValueError):
    """A grouping option is not one of its values (``version``, ``hospital``,
    ``tie_breaker``)."""


class ClaimTooLongError(ClaimError):
    """A claim's JSON is longer than ``MAX_CLAIM_LEN`` bytes (1 MiB)."""


def _kind(e: BaseException) -> "tuple[Optional[ErrorCode], str]":
    code, message = e.args if len(e.args) == 2 else (None, str(e))
    try:
        return ErrorCode(code), message
    except ValueError:
        return None, message


_CODE_CLASSES = {
    ErrorCode.SYNTAX: CodeSyntaxError,
    ErrorCode.UTF8: CodeSyntaxError,
    ErrorCode.NUL: CodeSyntaxError,
    ErrorCode.TOO_LONG: CodeSyntaxError,
    ErrorCode.DATE: DateError,
    ErrorCode.SYSTEM: UnknownSystemError,
    ErrorCode.CONFIG: ConfigError,
    ErrorCode.KIND: ConfigError,
    ErrorCode.CLAIM: GroupError,
    ErrorCode.OPTIONS: GroupOptionsError,
}

_CLAIM_CLASSES = {
    **_CODE_CLASSES,
    ErrorCode.UTF8: ClaimError,
    ErrorCode.NUL: ClaimError,
    ErrorCode.TOO_LONG: ClaimTooLongError,
}


def _code_error(e: BaseException) -> MedcodeError:
    """The error for a code, system or date argument."""
    kind, message = _kind(e)
    return _CODE_CLASSES.get(kind, MedcodeError)(message, kind)  # type: ignore[arg-type]


def _claim_error(e: BaseException) -> MedcodeError:
    """The error for a claim or an engine call."""
    kind, message = _kind(e)
    return _CLAIM_CLASSES.get(kind, MedcodeError)(message, kind)  # type: ignore[arg-type]
