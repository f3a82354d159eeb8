"""Problems that stop tabard before it can check anything (exit code 2)."""

from __future__ import annotations

from tabard.record import Record


class Problem(Record):
    """One problem in a user's file, located as precisely as we can."""

    _fields = ("message", "file", "line", "column", "hint")
    __slots__ = _fields
    message: str
    file: str | None
    line: int | None
    column: int | None
    hint: str | None

    def __init__(
        self,
        message: str,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        self._fill(message, file, line, column, hint)

    @property
    def where(self) -> str:
        if self.file is None:
            return ""
        if self.line is None:
            return f"{self.file}: "
        return f"{self.file}:{self.line}:{self.column or 1}: "

    def render(self) -> str:
        text = f"tabard: error: {self.where}{self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class TabardError(Exception):
    """A usage, config, policy or plugin problem: reported without a traceback, exit 2."""

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = problems
        super().__init__("\n".join(problem.render() for problem in problems))


class UsageError(TabardError):
    pass


class ConfigError(TabardError):
    pass


class PolicyError(TabardError):
    pass


class PluginError(TabardError):
    pass


class PluginCrash(Exception):
    """A plugin operator raised or returned nonsense while a rule ran.

    Not a TabardError: evaluation catches it and turns it into a PluginError that names the
    rule and the document. It lives here, beside the other errors, so that evaluation does
    not import the plugin manager.
    """

    def __init__(self, plugin: str, operator: str, cause: str) -> None:
        super().__init__(cause)
        self.plugin = plugin
        self.operator = operator
        self.cause = cause
