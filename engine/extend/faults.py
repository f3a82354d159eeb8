"""Blame a plugin: what its code did, in words, as a PluginError that names it (exit 2)."""

from __future__ import annotations

from types import TracebackType

from tabard import interrupts
from tabard.errors import PluginError, Problem


def plugin_error(plugin: str, message: str, hint: str | None = None) -> PluginError:
    return PluginError(Problem(f"plugin {plugin!r}: {message}", hint=hint))


def fault(error: BaseException, verb: str = "raised ") -> str:
    """What plugin code did, for a message: ``raised KeyError: 'x'``."""
    text = f"{verb}{type(error).__name__}" + (f": {error}" if str(error) else "")
    if not isinstance(error, Exception):
        # SystemExit, KeyboardInterrupt, GeneratorExit: a plugin may not end the run.
        text += " (a plugin may not stop tabard)"
    return text


def from_plugin(error: BaseException) -> bool:
    """Whether an exception out of plugin code is the plugin's fault: everything it
    raises, SystemExit and KeyboardInterrupt included, except a real Ctrl-C."""
    return not isinstance(error, PluginError) and not interrupts.genuine(error)


class Blame:
    """``with Blame(plugin, "hook tabard_add_operators"):`` turns whatever the plugin code
    inside raises into a PluginError naming the plugin and what was called."""

    def __init__(
        self, plugin: str, what: str, hint: str | None = None, verb: str = "raised "
    ) -> None:
        self.plugin, self.what, self.hint, self.verb = plugin, what, hint, verb

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if error is not None and from_plugin(error):
            raise plugin_error(
                self.plugin, f"{self.what} {fault(error, self.verb)}", self.hint
            ) from None
