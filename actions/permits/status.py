"""An application's BLDS status told to the resident: where it stands and what to do next.

BLDS servers report ``StatusCurrentMapped`` from a fixed list of English values; the
resident reads the status in their language, in the words a service hall uses
(已受理, 审核中, 待缴费, 已发证), with the office's own wording kept when it says
more ("已制证，待领取"). The next step depends on the status, and where it needs
the catalogue (the fee to pay, how long a review takes) the catalogue is read.

Privacy: only the number, the permit type, the status and its date are shown.
``Description`` is left out as well: for a building permit it can hold the site
address, and nothing in a status answer needs it.
"""

from __future__ import annotations

import re

from actions.catalogue import ENGLISH
from actions.clients.permits import PermitApplication

#: BLDS ``StatusCurrentMapped`` → (English, Chinese) status words.
STATUS_WORDS: dict[str, tuple[str, str]] = {
    "Applied": ("Submitted", "已提交"),
    "Application Accepted": ("Accepted, waiting for review", "已受理"),
    "Application Incomplete": ("Incomplete: documents missing", "材料不全，待补正"),
    "In Review": ("In review", "审核中"),
    "Revision Required": ("Changes requested", "待修改"),
    "Fees/Payment": ("Waiting for payment", "待缴费"),
    "Permit Issued": ("Permit issued", "已发证"),
    "Inspection Phase": ("Inspection", "现场核查中"),
    "Permit Finaled": ("Completed", "已办结"),
    "Application Denied": ("Not approved", "不予批准"),
    "Application Withdrawn": ("Withdrawn", "已撤回"),
    "Permit Cancelled": ("Cancelled", "已取消"),
    "Permit Expired": ("Expired", "已过期"),
    "Permit Revoked": ("Revoked", "已撤销"),
    "Permit Void": ("Void", "已作废"),
}

#: What the resident should do next, by mapped status. ``{processing_time}``, ``{fee}``
#: and ``{hotline}`` are filled from the catalogue and the settings.
NEXT_STEPS: dict[str, tuple[str, str]] = {
    "Applied": (
        "Nothing for now: the office will check it and accept it or tell you what is missing.",
        "暂无需操作，受理部门审查后会通知您受理结果或需补正的材料。",
    ),
    "Application Accepted": (
        "Nothing for now: it is waiting to be reviewed. {processing_time}",
        "暂无需操作，等待审核。{processing_time}",
    ),
    "Application Incomplete": (
        "Send the missing documents named in the notice you received (SMS or app message); "
        "the review continues once they are in.",
        "请按补正通知（短信或 App 消息）补交材料，补齐后继续审核。",
    ),
    "In Review": (
        "Nothing for now; you will be told the decision. {processing_time}",
        "暂无需操作，审核结果会另行通知。{processing_time}",
    ),
    "Revision Required": (
        "Change your application as the notice you received asks, then submit it again.",
        "请按通知要求修改申请后重新提交。",
    ),
    "Fees/Payment": (
        "Pay the fee ({fee}) online or at the service counter; the application moves on once "
        "it is paid.",
        "请缴纳费用（{fee}），可网上缴纳或到窗口缴纳，缴费后继续办理。",
    ),
    "Permit Issued": (
        "Collect it where you applied, with your ID card and the acceptance receipt "
        "(or look out for the courier if you chose delivery).",
        "请携带身份证和受理回执到受理点领取（选择邮寄的请留意快递）。",
    ),
    "Inspection Phase": (
        "Keep your phone on: the inspector will call to arrange the visit.",
        "请保持电话畅通，核查人员将与您联系安排现场核查。",
    ),
    "Permit Finaled": ("Nothing more to do: it is complete.", "无需再操作，已办理完成。"),
    "Application Denied": (
        "The decision notice gives the reasons. You can apply again once they are dealt with, "
        "or ask for an administrative review within 60 days; {hotline} can advise.",
        "不予批准的理由见决定书。问题解决后可重新申请，也可在60日内依法申请行政复议；"
        "如有疑问请拨打{hotline}。",
    ),
    "Application Withdrawn": (
        "If you still need it, apply again.",
        "如仍需办理，请重新申请。",
    ),
    "Permit Cancelled": ("If you still need it, apply again.", "如仍需办理，请重新申请。"),
    "Permit Expired": ("If you still need it, apply again.", "如仍需办理，请重新申请。"),
    "Permit Revoked": (
        "The notice you received says why; {hotline} can advise.",
        "撤销原因见相关通知，如有疑问请拨打{hotline}。",
    ),
    "Permit Void": ("If you still need it, apply again.", "如仍需办理，请重新申请。"),
}
UNKNOWN_NEXT_STEP = (
    "For details call {hotline} or the office that took your application.",
    "详情请拨打{hotline}或联系受理部门。",
)


def _pick(pair: tuple[str, str], language: str | None) -> str:
    return pair[0] if language == ENGLISH else pair[1]


def _key(mapped: str) -> str:
    """BLDS values compared without case and spacing quirks ("permit  issued")."""
    return re.sub(r"[^a-z]", "", mapped.casefold())


_BY_KEY = {_key(name): name for name in STATUS_WORDS}


def mapped_status(application: PermitApplication) -> str | None:
    """The BLDS mapped status this module knows the application to be in, or None."""
    return _BY_KEY.get(_key(application.status_current_mapped))


def status_words(application: PermitApplication, language: str | None) -> str:
    """The status in the reply language, with the office's own wording when it says more."""
    mapped = mapped_status(application)
    office = application.status_current.strip()
    if mapped is None:
        own = application.status_text.get("en" if language == ENGLISH else "zh", "")
        return own or office or application.status_current_mapped or "?"
    words = _pick(STATUS_WORDS[mapped], language)
    if office and office != words and office != mapped:
        bracket = " ({})" if language == ENGLISH else "（{}）"
        words += bracket.format(office)
    return words


def next_step(
    application: PermitApplication,
    language: str | None,
    *,
    processing_time: str = "",
    fee: str = "",
    hotline: str,
) -> str:
    """What the resident should do now, with the catalogue's fee and time and the city's hotline."""
    mapped = mapped_status(application)
    template = _pick(
        NEXT_STEPS.get(mapped, UNKNOWN_NEXT_STEP) if mapped else UNKNOWN_NEXT_STEP, language
    )
    no_fee = "see the payment notice" if language == ENGLISH else "以缴费通知为准"
    return template.format(
        processing_time=processing_time, fee=fee or no_fee, hotline=hotline
    ).strip()
