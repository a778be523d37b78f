"""Bilingual errors for bad input: what is wrong, where (file, line, field) and how to fix it."""

from __future__ import annotations

from pathlib import Path


class PlannerError(Exception):
    """A user-facing error with a Vietnamese and an English message.

    The CLI prints it on one line and exits 2; the UI shows it and keeps the user's work.
    """

    def __init__(
        self,
        message_vi: str,
        message_en: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
        hint_vi: str | None = None,
        hint_en: str | None = None,
    ) -> None:
        self.message_vi = message_vi
        self.message_en = message_en
        self.file = str(file) if file is not None else None
        self.line = line
        self.field = field
        self.hint_vi = hint_vi
        self.hint_en = hint_en
        super().__init__(self.one_line())

    def location(self) -> str:
        """Where the problem is, e.g. ``data/rules/x.toml:12 [rules.params.offset_days]``."""
        parts = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line else ""))
        if self.field:
            parts.append(f"[{self.field}]")
        return " ".join(parts)

    def text_vi(self) -> str:
        """The Vietnamese message with the fix, if one is known."""
        return self.message_vi + (f" {self.hint_vi}" if self.hint_vi else "")

    def text_en(self) -> str:
        """The English message with the fix, if one is known."""
        return self.message_en + (f" {self.hint_en}" if self.hint_en else "")

    def one_line(self) -> str:
        """``Lỗi: … / Error: …`` prefixed with the location, on one line."""
        where = self.location()
        prefix = f"{where}: " if where else ""
        return f"{prefix}Lỗi: {self.text_vi()} / Error: {self.text_en()}".replace("\n", " ")


class DataFileError(PlannerError):
    """A data file (TOML/CSV) is missing, malformed or inconsistent."""


class UnknownIdError(PlannerError):
    """An id (organisation, rule, level, step) that does not exist."""


class InternalError(RuntimeError):
    """A broken promise of the planner itself, not of the input: a plan the independent
    validator refuses after a solve or a re-plan. The command says so in both languages and
    exits 70; nothing is written."""

    def __init__(self, details: list[str]) -> None:
        super().__init__("; ".join(details))
        self.details = details

    def lines(self) -> list[str]:
        """The ``BUG:`` lines and one bilingual sentence for the person who ran it."""
        return [f"BUG: {d}" for d in self.details] + [
            "Lỗi nội bộ: bộ giải trả về một kế hoạch mà bộ kiểm tra độc lập từ chối; không ghi kế "
            "hoạch nào. Hãy báo lỗi kèm tệp kịch bản và lệnh đã chạy. / Internal error: the "
            "solver returned a plan the independent validator refuses; no plan was written. "
            "Please report it with the scenario file and the command."
        ]
