"""Why the constructive floor could not be built: the congress, the rule that stopped it and
what it waited for, in both languages. The floor (:mod:`planner.solver.greedy`) makes it and
the solve report (:mod:`planner.solver.report`) carries it, so it lives below both.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.rules.families import family_name

REVIEW = "review"  # the reviewers' capacity (planner.solver.reviews), not a family
REVIEW_NAME = ("sức duyệt của Bộ Chính trị", "the reviewing bodies' capacity")


@dataclass(frozen=True)
class Blocked:
    """Why the floor could not be built: the congress, the rule, and what it waited for."""

    org_id: str
    family: str
    other: str | None = None
    timed_out: bool = False

    @property
    def message_vi(self) -> str:
        """What stopped the floor, in Vietnamese."""
        if self.timed_out:
            return "hết thời gian trước khi dựng xong kế hoạch nền."
        name = REVIEW_NAME[0] if self.family == REVIEW else family_name(self.family)[0]
        if self.family == "election_alignment" and self.org_id == "election":
            why = "không còn ngày bầu cử (Chủ nhật) nào hợp lệ sau đại hội toàn quốc"
        elif self.family == REVIEW:
            why = (
                f"không còn ngày duyệt nào trong khung duyệt, đủ sớm trước đại hội, mà cơ quan "
                f"duyệt ({self.other}) còn chỗ và không nghỉ"
            )
        elif self.other is not None:
            why = f"phải sau {self.other} nhưng khi đó không còn ngày hợp lệ"
        elif self.family in ("parent_capacity", "level_capacity"):
            why = "sức chứa mỗi ngày đã đầy ở mọi ngày còn lại"
        else:
            why = "không còn ngày nào hợp lệ"
        return f"kế hoạch nền dừng ở {self.org_id} ({name}): {why}."

    @property
    def message_en(self) -> str:
        """What stopped the floor, in English."""
        if self.timed_out:
            return "the time ran out before the constructive floor was complete."
        name = REVIEW_NAME[1] if self.family == REVIEW else family_name(self.family)[1]
        if self.family == "election_alignment" and self.org_id == "election":
            why = "no valid election Sunday is left after the national congress"
        elif self.family == REVIEW:
            why = (
                f"no review day is left in the review window, early enough before the congress, "
                f"on which a reviewing body ({self.other}) has room and sits"
            )
        elif self.other is not None:
            why = f"it must follow {self.other} but no valid day is left by then"
        elif self.family in ("parent_capacity", "level_capacity"):
            why = "the daily capacity is full on every remaining day"
        else:
            why = "no valid day is left"
        return f"the constructive floor stopped at {self.org_id} ({name}): {why}."
