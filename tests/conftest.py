"""Suite-wide setup: Qt renders offscreen, and no test can open a network connection."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_REAL_SOCKET = socket.socket


class _NoNetworkSocket(_REAL_SOCKET):
    """Refuses Internet sockets; local AF_UNIX pairs (event loops, Qt helpers) stay allowed."""

    def __init__(self, family: int = -1, *args: object, **kwargs: object) -> None:
        if family in (-1, socket.AF_INET, socket.AF_INET6):
            raise RuntimeError("network access is not allowed in tests (socket creation blocked)")
        super().__init__(family, *args, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, "socket", _NoNetworkSocket)
        yield
