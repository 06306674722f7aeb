"""Move code off the legacy ``chime`` namespace: where each operation went, request
conversion, a static scanner for Python sources and a rewriter.

AWS refuses the legacy meeting and voice API for accounts that never used it, and botocore
1.37.2 removed 129 of its operations. ``MAPPING`` says what replaces each one (generated
from botocore 1.37.1's model, with replacements that reached end of support since reported as
``retired``; ``RETIREMENTS`` dates each step), the ``convert_*`` functions turn a legacy
request into the dedicated-namespace request while refusing to guess what the legacy service
defaulted, ``scan_paths`` (``chime-calls migrate scan``) finds the calls to change and
``fix_paths`` (``chime-calls migrate fix``, needs the ``migrate`` extra) rewrites them. See
``chime-calls docs migration``.

Not imported by ``import chime_calls``: load it with ``import chime_calls.migration``.
"""

from chime_calls.migration._calendar import RETIREMENTS, EndOfSupport, Retirement
from chime_calls.migration.convert import (
    CONVERTIBLE,
    Conversion,
    MigrationError,
    TagResourceStep,
    convert,
    convert_create_attendee,
    convert_create_meeting,
    convert_create_meeting_dial_out,
    convert_create_sip_media_application_call,
    convert_delete_meeting,
    convert_get_meeting,
    convert_update_sip_media_application_call,
)
from chime_calls.migration.fix import (
    Edit,
    FileFix,
    FixResult,
    FixUnavailableError,
    Todo,
    fix_paths,
    fix_source,
)
from chime_calls.migration.mapping import (
    MAPPING,
    MEMBER_RENAMES,
    NOTES,
    Kind,
    Note,
    Replacement,
    operation_for_method,
    replacement_for,
)
from chime_calls.migration.scan import (
    Finding,
    ScanError,
    ScanResult,
    iter_python_files,
    scan_file,
    scan_paths,
    scan_source,
)

__all__ = [
    "CONVERTIBLE",
    "MAPPING",
    "MEMBER_RENAMES",
    "NOTES",
    "RETIREMENTS",
    "Conversion",
    "Edit",
    "EndOfSupport",
    "FileFix",
    "Finding",
    "FixResult",
    "FixUnavailableError",
    "Kind",
    "MigrationError",
    "Note",
    "Replacement",
    "Retirement",
    "ScanError",
    "ScanResult",
    "TagResourceStep",
    "Todo",
    "convert",
    "convert_create_attendee",
    "convert_create_meeting",
    "convert_create_meeting_dial_out",
    "convert_create_sip_media_application_call",
    "convert_delete_meeting",
    "convert_get_meeting",
    "convert_update_sip_media_application_call",
    "fix_paths",
    "fix_source",
    "iter_python_files",
    "operation_for_method",
    "replacement_for",
    "scan_file",
    "scan_paths",
    "scan_source",
]

for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type):  # reprs and docs say chime_calls.migration.X
        _obj.__module__ = __name__
del _name, _obj
