"""Hooks: a function a lower floor calls and a higher floor provides.

The floors of `docs/architecture.md` let a module import only what lies below it. Where a
domain must trigger work that only a higher floor can do (a partnership's activity is read
from every other domain by `insights`; events are recorded by `notifications`), the domain
declares a Hook and the higher floor provides it when it is imported. The app factory
imports every package, so every hook is provided before the first request; calling one
that is not is a programming error and fails loudly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Hook(Generic[P, R]):
    """A named slot for one function, called like the function once provided."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._impl: Callable[P, R] | None = None

    def provide(self, impl: Callable[P, R]) -> Callable[P, R]:
        """Install `impl` (usable as a decorator); the last one installed wins."""
        self._impl = impl
        return impl

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if self._impl is None:
            raise RuntimeError(f"nothing provides the hook {self.name!r}")
        return self._impl(*args, **kwargs)

    def __repr__(self) -> str:
        impl: Any = self._impl
        return f"<Hook {self.name} -> {getattr(impl, '__qualname__', None)}>"


class Signal(Generic[P]):
    """Something a lower floor announces and any number of higher floors act on, in the
    same transaction (an application accepted: the placements domain opens a placement).

    Receivers are called in the order they connected, synchronously; an exception in one
    aborts the caller's transaction, as an error in the caller's own code would.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._receivers: list[Callable[P, Any]] = []

    def connect(self, receiver: Callable[P, Any]) -> Callable[P, Any]:
        """Add `receiver` (usable as a decorator); connecting one twice keeps one."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    def send(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """Call every receiver."""
        for receiver in list(self._receivers):
            receiver(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Signal {self.name}: {len(self._receivers)} receivers>"
