"""Generated constraint data, one module per service, loaded on first use.

``scripts/gen_shapes.py`` writes ``meetings.py``, ``voice.py`` and ``legacy.py`` from botocore's
models (``--check`` in CI); nothing here is edited by hand. A program that never touches a
service never loads its module.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["MODULES", "load"]

#: boto3 service name -> generated module
MODULES = {"chime-sdk-meetings": "meetings", "chime-sdk-voice": "voice", "chime": "legacy"}


def load(service: str) -> ModuleType:
    """The generated module of ``service`` (``KeyError`` for a service not modelled here)."""
    return importlib.import_module(f"{__name__}.{MODULES[service]}")
