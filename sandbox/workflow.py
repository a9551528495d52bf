"""The 12345 hotline workflow a complaint goes through, and how it shows in Open311 terms.

Open311 knows only ``open`` and ``closed``; a resident wants to know where the ticket is in
the hotline's own steps (受理 → 派单 → 办理中 → 已办结 → 已回访). The steps, their labels and
the default status notes live here, as plain data and pure functions.
"""

from __future__ import annotations

from dataclasses import dataclass


class WorkflowError(ValueError):
    """A state change the workflow does not allow (backwards, or past the end)."""


class UnknownState(WorkflowError):
    """A state name that is not a step of the workflow."""


@dataclass(frozen=True)
class State:
    """One step of the workflow, with the words a resident sees for it."""

    code: str
    label_zh: str
    label_en: str
    note_zh: str
    note_en: str


STATES: tuple[State, ...] = (
    State(
        "accepted",
        "受理",
        "Accepted",
        "您的诉求已受理，正在分派至责任单位。",
        "Your request has been logged and is being passed to the department responsible.",
    ),
    State(
        "dispatched",
        "派单",
        "Dispatched",
        "已派单至{agency}，等待处理。",
        "Passed to {agency}, waiting to be handled.",
    ),
    State(
        "in_progress",
        "办理中",
        "In progress",
        "{agency}正在办理。",
        "{agency} is working on it.",
    ),
    State(
        "resolved",
        "已办结",
        "Resolved",
        "{agency}已办结，将对您进行回访。",
        "{agency} has dealt with it; you will be contacted to check you are satisfied.",
    ),
    State(
        "closed",
        "已回访",
        "Closed",
        "已完成回访，工单关闭。感谢您的反映。",
        "Follow-up done and the ticket is closed. Thank you for reporting it.",
    ),
)

_BY_CODE = {state.code: state for state in STATES}
FIRST_STATE = STATES[0].code
FINAL_STATE = STATES[-1].code


def state(code: str) -> State:
    """The state called ``code``; :class:`WorkflowError` for an unknown one."""
    try:
        return _BY_CODE[code]
    except KeyError:
        known = ", ".join(_BY_CODE)
        raise UnknownState(f"unknown workflow state {code!r}; use one of {known}") from None


def spec_status(code: str) -> str:
    """Open311 ``status``: a ticket stays ``open`` until the follow-up call closes it."""
    return "closed" if code == FINAL_STATE else "open"


def next_state(current: str, target: str | None = None) -> str:
    """The state a ticket moves to: the next one, or ``target`` if that lies ahead."""
    position = STATES.index(state(current))
    if target is None:
        if current == FINAL_STATE:
            raise WorkflowError(f"the ticket is already {FINAL_STATE}")
        return STATES[position + 1].code
    if STATES.index(state(target)) <= position:
        raise WorkflowError(f"cannot move a ticket from {current} back or to {target}")
    return target


def status_note(code: str, agency: str, locale: str, note: str | None = None) -> str:
    """The ``status_notes`` text in ``locale`` ("zh" or "en"), plus the case worker's note."""
    step = state(code)
    if locale == "zh":
        text = f"{step.label_zh}：{step.note_zh.format(agency=agency)}"
    else:
        text = f"{step.label_en}: {step.note_en.format(agency=agency)}"
    if note:
        text += f"（{note}）" if locale == "zh" else f" ({note})"
    return text
