"""Short bilingual phrases that actions put *into* responses.

Whole messages live in ``domain.yml``; some values filled into them depend on the
reply language too (a workflow stage, "not given"), and Rasa cannot render one
response inside another. They live here, in one table, English and Simplified
Chinese; Traditional is produced from the Chinese by the NLG like every response.
"""

from __future__ import annotations

ENGLISH = "en"

#: The hotline's own Chinese name of each workflow stage, added to the English one in a
#: mainland city ("accepted (受理)"; ``CityIdentity.glosses_workflow_stages``).
STAGE_GLOSSES: dict[str, str] = {
    "stage.accepted": "受理",
    "stage.dispatched": "派单",
    "stage.in_progress": "办理中",
    "stage.resolved": "已办结",
    "stage.closed": "已办结",
}

PHRASES: dict[str, dict[str, str]] = {
    # Workflow stages of a 12345-style server (Open311 extended_attributes.workflow_state).
    "stage.accepted": {"en": "accepted", "zh": "已受理"},
    "stage.dispatched": {"en": "passed to the department", "zh": "已派单"},
    "stage.in_progress": {"en": "being dealt with", "zh": "办理中"},
    "stage.resolved": {"en": "resolved", "zh": "已办结"},
    "stage.closed": {"en": "closed after follow-up", "zh": "已办结（已回访）"},
    # Plain Open311 status, for a city whose server has no workflow detail.
    "stage.open": {"en": "open, being handled", "zh": "处理中"},
    "stage.unknown": {"en": "open", "zh": "处理中"},
    "not_given": {"en": "not given", "zh": "未留"},
    "no_date": {"en": "not given", "zh": "暂无"},
    "shared_location": {
        "en": "the location you shared ({lat}, {long})",
        "zh": "您发送的定位（{lat}，{long}）",
    },
    "department": {"en": "department responsible", "zh": "责任单位"},
    "other_problem": {"en": "Other problem", "zh": "其他问题"},
    # What an answer to a service's extra question should have been (complaint form).
    "attribute.expected_text": {"en": "a short answer in words", "zh": "请用文字简要回答"},
    "attribute.expected_number": {"en": "a number, e.g. 3", "zh": "请回复一个数字，如 3"},
    "attribute.expected_datetime": {
        "en": 'a date and time, e.g. 2026-12-01 18:30, or "yesterday 8pm"',
        "zh": "请回复日期和时间，如 2026-12-01 18:30 或“昨晚8点”",
    },
    "attribute.expected_choice": {
        "en": "one of the options (tap a button or type its number)",
        "zh": "请从选项中选择一项（点按钮或回复序号）",
    },
    "attribute.expected_choices": {
        "en": "one or more of the options, separated by commas",
        "zh": "请从选项中选择一项或多项，用逗号分隔",
    },
    # How each kind of question is answered, when the city does not say.
    "attribute.hint.number": {"en": "a number", "zh": "填数字"},
    "attribute.hint.datetime": {"en": "date and time", "zh": "日期和时间"},
    "attribute.hint.singlevaluelist": {"en": "choose one", "zh": "单选"},
    "attribute.hint.multivaluelist": {"en": "choose one or more", "zh": "可多选"},
    "attribute.hint.string": {"en": "", "zh": ""},
    "attribute.hint.text": {"en": "", "zh": ""},
    # Permit answers (actions/permits/answers.py) and their quick replies.
    # {hotline} and {portal}: the catalogue's own, else the city's (actions/permits/questions.py).
    "permit.not_stated": {
        "en": "The city's catalogue doesn't say; please ask the office or call {hotline}.",
        "zh": "办事指南未写明，请向受理部门或 {hotline} 热线咨询。",
    },
    "permit.more_items": {
        "en": "…and {count} more: see the full guide on {portal}.",
        "zh": "……另有 {count} 项，完整办事指南见{portal}。",
    },
    "permit.free": {"en": "Free of charge.", "zh": "不收费。"},
    "permit.amount": {"en": "CNY {amount}.", "zh": "{amount} 元。"},
    "permit.working_days": {
        "en": "Within {days} working days.",
        "zh": "{days} 个工作日内办结。",
    },
    "permit.online_available": {"en": "Available online.", "zh": "可网上办理。"},
    "permit.online_unavailable": {
        "en": "Not available online; apply in person.",
        "zh": "暂不支持网上办理，请到现场办理。",
    },
    "permit.aspect.requirements": {"en": "What to bring", "zh": "所需材料"},
    "permit.aspect.fee": {"en": "Fee", "zh": "收费标准"},
    "permit.aspect.processing_time": {"en": "How long", "zh": "办理时限"},
    "permit.aspect.apply": {"en": "Where to apply", "zh": "办理地点"},
    # Transit answers (actions/transit/questions.py).
    "transit.did_you_mean": {"en": " Did you mean one of these?", "zh": "您是不是要找："},
    "transit.no_live": {
        "en": " (timetable times: live information is unavailable)",
        "zh": "（实时信息暂不可用，以下为时刻表时间）",
    },
    "transit.resumes": {"en": " Service resumes at {time}.", "zh": "{time} 起恢复运营。"},
    "transit.first_train_late": {
        "en": "\nYour first ride is running about {minutes} min late.",
        "zh": "\n第一程车目前晚点约 {minutes} 分钟。",
    },
    "transit.by_distance": {"en": " depending on distance", "zh": "（按里程计价）"},
    "transit.free_transfers": {
        "en": "Changing lines inside the stations is free.",
        "zh": "站内换乘不另收费。",
    },
    "transit.lines_include": {
        "en": " Its lines include: {lines}.",
        "zh": "现有线路例如：{lines}。",
    },
    # A walk between two rides, or after the last one (a line of the journey's legs).
    "transit.walk": {"en": "• Walk {minutes} min to {stop}", "zh": "• 步行约{minutes}分钟到{stop}"},
}


def phrase(key: str, language: str | None, **values: object) -> str:
    """The phrase ``key`` in the reply language (Chinese unless English), with values filled in."""
    entry = PHRASES[key]
    text = entry[ENGLISH] if language == ENGLISH else entry["zh"]
    return text.format(**values) if values else text


def locale_for(language: str | None) -> str:
    """The Open311 ``locale`` parameter for a reply language."""
    if language == ENGLISH:
        return "en"
    return "zh-CN"
