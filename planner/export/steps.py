"""The preparation steps in the feeds (issue 20, point 3): review, announce, report, approval.

A step is an all-day event of its congress's feeds, with the UID of its plan row's event id
(``<kind>:<org_id>``, never its dates) and ``RELATED-TO`` its congress. Its DESCRIPTION comes
from the rule data (:mod:`planner.rules.preparation`): the rule's name and id, its legal source, its
status (VERIFIED / UNVERIFIED) and, for a review, the reviewing body. Each review is also in the
reviewing body's own feed (:func:`body_feeds`): a whole body's feed (the Politburo's review
calendar) lists its own reviews and those of its review groups.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from planner.rules.catalogue import Rule
from planner.rules.preparation import STANDING_COMMITTEE, STEP_KINDS, STEP_NAMES, ReviewBody
from planner.scenario.model import Scenario

__all__ = ["STEP_KINDS", "BodyFeed", "StepTexts", "body_feeds", "review_bodies"]

_STATUS = {True: ("đã kiểm chứng", "VERIFIED"), False: ("chưa kiểm chứng", "UNVERIFIED")}
_LOWER_BODY = ("Ban Thường vụ cấp ủy cấp trên", "The superior committee's standing committee")


def _bodies(scenario: Scenario) -> tuple[ReviewBody, ...]:
    settings = scenario.preparation
    return settings.data.bodies if settings is not None else ()


def _rules(scenario: Scenario) -> dict[str, Rule]:
    settings = scenario.preparation
    ruleset = settings.data.ruleset if settings is not None else None
    return {rule.id: rule for rule in ruleset or ()}


class StepTexts:
    """The text of step events from the scenario's preparation data (one DESCRIPTION per
    kind, rule, body and dates: many steps share it)."""

    def __init__(self, scenario: Scenario) -> None:
        self.rules = _rules(scenario)
        self.bodies = {b.id: b for b in _bodies(scenario)}
        self.cache: dict[tuple[str, ...], bytes] = {}  # DESCRIPTION and CATEGORIES lines

    def names(self, kind: str, body: str, org_vi: str, org_en: str) -> tuple[str, str]:
        """What a step is called when its plan row has no name (a hand-typed row)."""
        what_vi, what_en = STEP_NAMES["lower_review" if body == STANDING_COMMITTEE else kind]
        return f"{what_vi}: {org_vi}", f"{what_en}: {org_en}"

    def body_names(self, body: str) -> tuple[str, str]:
        """A reviewing body's names ('' when the row names none)."""
        if body == STANDING_COMMITTEE:
            return _LOWER_BODY
        found = self.bodies.get(body)
        return (found.name_vi, found.name_en) if found else (body, body)

    def lines(self, kind: str, rule_id: str, body: str, source: str) -> tuple[list[str], list[str]]:
        """The rule lines of a step's DESCRIPTION: body, rule, source, status (Vietnamese,
        English); a rule the data does not know shows the plan row's id and source only."""
        vi: list[str] = []
        en: list[str] = []
        if body:
            body_vi, body_en = self.body_names(body)
            vi.append(f"Cơ quan duyệt: {body_vi}.")
            en.append(f"Reviewing body: {body_en}.")
        rule = self.rules.get(rule_id)
        if rule is None:
            if rule_id:
                vi.append(f"Quy tắc: {rule_id}.")
                en.append(f"Rule: {rule_id}.")
            if source:
                vi.append(f"Nguồn: {source}.")
                en.append(f"Source: {source}.")
            return vi, en
        status_vi, status_en = _STATUS[rule.verified]
        vi += [
            f"Quy tắc: {rule.name_vi} ({rule.id}).",
            f"Nguồn: {rule.source.cite()}.",
            f"Mức kiểm chứng: {status_vi} ({status_en}).",
        ]
        en += [
            f"Rule: {rule.name_en} ({rule.id}).",
            f"Source: {rule.source.cite()}.",
            f"Status: {status_en}.",
        ]
        return vi, en


class BodyFeed:
    """A reviewing body's feed: its id, names and the bodies whose reviews it lists."""

    def __init__(self, body: ReviewBody, members: frozenset[str]) -> None:
        self.id = body.id
        self.title_vi = f"{_short(body.name_vi)} — lịch duyệt văn kiện, nhân sự"
        self.title_en = f"{_short(body.name_en)} — review calendar"
        if body.kind == "whole":
            self.about_vi = (
                f"Mọi cuộc duyệt dự thảo văn kiện và phương án nhân sự của {body.name_vi} và "
                "các tổ công tác của Bộ Chính trị, mỗi cuộc một sự kiện."
            )
            self.about_en = (
                f"Every review of draft documents and personnel plans by {body.name_en} and "
                "its review groups, one event each."
            )
        else:
            self.about_vi = f"Các cuộc duyệt văn kiện và phương án nhân sự của {body.name_vi}."
            self.about_en = f"The reviews of documents and personnel plans by {body.name_en}."
        self.members = members


def _short(name: str) -> str:
    """A body's name without its parenthesis: ``Bộ Chính trị (toàn thể, …)`` → ``Bộ Chính trị``;
    a group keeps its leader (``Tổ công tác 1 của Bộ Chính trị (Thủ tướng …)``)."""
    head, paren, _rest = name.partition(" (")
    if paren and ("toàn thể" in name or "whole" in name.lower()):
        return head.removeprefix("The whole ").removeprefix("the whole ")
    return name


def body_feeds(scenario: Scenario) -> Mapping[str, BodyFeed]:
    """One feed per reviewing body of the scenario's data, by body id: a group lists its own
    reviews, a whole body its own and every group's."""
    bodies = _bodies(scenario)
    groups = frozenset(b.id for b in bodies if b.kind == "group")
    return {
        b.id: BodyFeed(b, frozenset({b.id}) | (groups if b.kind == "whole" else frozenset()))
        for b in bodies
    }


def step_dates_text(start: dt.date, end: dt.date) -> tuple[str, str]:
    """``dd/mm/yyyy`` or ``dd/mm/yyyy–dd/mm/yyyy`` (Vietnamese), ISO (English)."""
    if start == end:
        return f"{start:%d/%m/%Y}", start.isoformat()
    return f"{start:%d/%m/%Y}–{end:%d/%m/%Y}", f"{start.isoformat()} – {end.isoformat()}"


def review_bodies(scenario: Scenario, plan: Any) -> dict[str, BodyFeed]:
    """The reviewing bodies that have a feed for this plan (a review row of theirs or, for a
    whole body, of one of its groups), in the data's order: the scopes ``body:ID`` offered."""
    if "kind" not in plan or "body" not in plan:
        return {}
    reviewing = {str(b) for b in plan.loc[plan["kind"] == "review", "body"].dropna()}
    return {i: f for i, f in body_feeds(scenario).items() if f.members & reviewing}
