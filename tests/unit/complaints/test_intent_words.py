"""Short answers inside the complaint form: cancel, yes, change something, or a question."""

import pytest

from actions.complaints.intent_words import (
    ChangeRequest,
    cancels_in_a_clause,
    change_request,
    is_affirmation,
    is_cancel_request,
    looks_like_question,
)
from tests.unit.complaints.scripts import in_both_scripts

# --- cancel ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    in_both_scripts(
        [
            "算了",
            "取消",
            "取消吧",
            "不投诉了",
            "不要了",
            "不用投诉了",
            "不报了",
            "算了吧不弄了",
            "取消投诉",
            "那就取消吧",
            "我要取消这个投诉",
            "我看还是不投诉了",
            "算了，我直接打12345",
            "算了吧，我自己去物业问问，谢谢你",
            "不想投诉了，没用",
            "停",
            "退出",
            "放弃",
            "撤回投诉",
            "唔投诉喇",
        ]
    )
    + [
        "cancel",
        "Cancel.",
        "stop",
        "please stop",
        "never mind",
        "Nevermind!",
        "forget it",
        "please cancel it",
        "cancel the complaint",
        "ok never mind then",
        "I changed my mind",
        "Cancel, I'll call 12345 myself",
        "Never mind, I'll sort it out with the landlord myself",
        "quit",
        "nah forget it then dont file a new one",
        "dont file it",
        "cancel this one",
        # the decision last, after why
        "actually hold on, my neighbour says she already reported it this morning. cancel this one",
        "邻居说她早上已经报过了，取消吧",
    ],
)
def test_a_clear_wish_to_stop_is_a_cancel(text: str) -> None:
    assert is_cancel_request(text)


@pytest.mark.parametrize(
    "text",
    in_both_scripts(
        [
            "路灯坏了取消不了闪烁",
            "停车场入口的栏杆坏了",
            "取消了的公交站牌还立在路边",
            "不要取消",
            "别取消",
            "结束了吗",
            "施工一直不停，晚上十一点还在打桩",
            "算了一下这个月水费多收了两百",
            "不用了",
            "好的",
            "",
        ]
    )
    + [
        "Stop signs are missing at the corner",
        "The bus stop shelter is broken",
        "don't cancel",
        "do not stop",
        "I don't want to complain but the bar next door is loud every night",
        "the construction never stops",
        "no",
    ],
)
def test_descriptions_negations_and_other_answers_are_not_cancels(text: str) -> None:
    assert not is_cancel_request(text)


# --- affirmation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    in_both_scripts(
        [
            "确认",
            "提交",
            "对",
            "没问题",
            "好的",
            "是的",
            "可以",
            "对的，确认提交",
            "帮我提交吧",
            "确认无误，提交",
            "嗯，好的，谢谢",
            "没错",
            "信息无误",
            "係",
            "冇问题",
        ]
    )
    + [
        "confirm",
        "submit",
        "yes",
        "Yes!",
        "yep",
        "looks good",
        "Looks good, thanks",
        "correct",
        "ok",
        "OK",
        "okay, submit it",
        "yes please",
        "That's right",
        "\U0001f44d",
        "\U0001f44d\U0001f3fb",
    ],
)
def test_a_short_yes_is_an_affirmation(text: str) -> None:
    assert is_affirmation(text)


@pytest.mark.parametrize(
    "text",
    in_both_scripts(
        [
            "不对",
            "不是",
            "可以吗",
            "对了，地址写错了",
            "地址不对",
            "好的，不过电话要改一下",
            "确认一下我的电话是多少",
            "不确定",
            "不要提交",
            "",
        ]
    )
    + [
        "not correct",
        "that's not right",
        "no",
        "yes but change the address",
        "is it correct?",
        "ok so what happens next with the complaint and who will call me",
    ],
)
def test_negations_questions_and_changes_are_not_affirmations(text: str) -> None:
    assert not is_affirmation(text)


# --- change requests ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("地址改成福田区福华三路88号", ChangeRequest("location", "福田区福华三路88号")),
        ("地址改成福田區福華三路88號", ChangeRequest("location", "福田區福華三路88號")),
        ("把地址改为福华三路88号吧", ChangeRequest("location", "福华三路88号")),
        ("地址应该是福华三路88号", ChangeRequest("location", "福华三路88号")),
        ("地址應該是福華三路88號", ChangeRequest("location", "福華三路88號")),
        ("地址不对，是福华三路88号", ChangeRequest("location", "福华三路88号")),
        ("地址改成福华三路88号，其他都对", ChangeRequest("location", "福华三路88号")),
        ("地址改成福华三路88号,其他都对", ChangeRequest("location", "福华三路88号")),
        ("地址是对的，电话改成13800138000", ChangeRequest("phone", "13800138000")),
        ("门牌号码改成88号", ChangeRequest("location", "88号")),
        ("新地址是福华三路", ChangeRequest("location", "福华三路")),
        ("电话号码写错了，应该是13800138000", ChangeRequest("phone", "13800138000")),
        ("換個號碼：13912345678", ChangeRequest("phone", "13912345678")),
        ("把类别改成噪音", ChangeRequest("category", "噪音")),
        ("问题类型换成违章停车", ChangeRequest("category", "违章停车")),
        (
            "描述改成：路灯不亮，已经一周了",
            ChangeRequest("description", "路灯不亮，已经一周了"),
        ),
        ("change the address to 1 Fuhua Road", ChangeRequest("location", "1 Fuhua Road")),
        (
            "Change the address to 1 Fuhua Road, Futian",
            ChangeRequest("location", "1 Fuhua Road, Futian"),
        ),
        ("the address should be 1 Fuhua Road", ChangeRequest("location", "1 Fuhua Road")),
        ("wrong address: 1 Fuhua Road", ChangeRequest("location", "1 Fuhua Road")),
        (
            "The address is wrong, it's 1 Fuhua Road",
            ChangeRequest("location", "1 Fuhua Road"),
        ),
        (
            "I want to change my phone number to 13800138000",
            ChangeRequest("phone", "13800138000"),
        ),
        ("Change the type to noise", ChangeRequest("category", "noise")),
        (
            "update the description: the pothole is now bigger",
            ChangeRequest("description", "the pothole is now bigger"),
        ),
    ],
)
def test_a_change_with_a_new_value_gives_the_field_and_the_value(
    text: str, expected: ChangeRequest
) -> None:
    assert change_request(text) == expected


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("Change the address", "location"),
        ("the address is wrong", "location"),
        ("correct the address", "location"),
        ("地址错了", "location"),
        ("位置不對", "location"),
        ("修改电话", "phone"),
        ("手机号写错了", "phone"),
        ("联系方式要改一下", "phone"),
        ("问题描述不对", "description"),
        ("我想改一下描述", "description"),
        ("edit the details", "description"),
        ("类别选错了", "category"),
        ("wrong category", "category"),
        ("change the kind of problem", "category"),
        ("my number is wrong", "phone"),
    ],
)
def test_a_change_without_a_value_gives_only_the_field(text: str, field: str) -> None:
    assert change_request(text) == ChangeRequest(field, None)


@pytest.mark.parametrize(
    "text", ["我想改一下", "我想修改一下", "有个地方写错了", "不对", "I need to change something"]
)
def test_a_change_word_without_a_field_is_a_change_of_something(text: str) -> None:
    assert change_request(text) == ChangeRequest(None, None)


@pytest.mark.parametrize(
    "text",
    [
        "地址是福华路",
        "the address is 1 Fuhua Road",
        "确认",
        "没错",
        "不错",
        "that's correct",
        "道路改造噪音很大",
        "换乘通道的灯坏了",
        "应该是明天吧",
        "I want to report a problem",
        "",
    ],
)
def test_no_change_word_or_a_change_word_in_another_sense_is_no_change(text: str) -> None:
    assert change_request(text) is None


# --- questions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    in_both_scripts(
        [
            "车公庙下一班车几点？",
            "车公庙下一班车几点",
            "能投诉吗",
            "那我的工单呢",
            "要多久才处理",
            "修了没有",
            "有没有人管",
            "怎么查进度",
            "哪里可以办居住证",
            "是否需要带身份证",
            "能不能快点处理",
            "可不可以匿名",
            "什么时候有人来修",
            "如何查询",
            "点样查进度",
        ]
    )
    + [
        "How long will it take",
        "where do I pick it up",
        "What's the fee",
        "Is it free",
        "can you check my ticket",
        "Do I need my ID?",
        "When is the next bus",
        "Sorry, which line goes to the airport",
        "?",
    ],
)
def test_a_question_is_recognised(text: str) -> None:
    assert looks_like_question(text)


@pytest.mark.parametrize(
    "text",
    in_both_scripts(
        [
            "车公庙地铁站A出口",
            "福华三路88号",
            "深南大道和金田路交叉口",
            "不知道怎么回事，路灯一直不亮",
            "不知道为什么一直在响",
            "没有",
            "没什么",
            "路灯坏了",
            "啊不对不对，地址说错了，是B出口，不是A出口",
        ]
    )
    + [
        "Shennan Road near the Civic Center",
        "1 Fuhua Road",
        "don't know",
        "I don't know",
        "the streetlight is broken",
        "",
    ],
)
def test_an_answer_is_not_a_question(text: str) -> None:
    assert not looks_like_question(text)


def test_never_mind_that_part_is_an_edit_not_a_cancel() -> None:
    assert not is_cancel_request("算了，停车那个不用写，就写噪音就行")
    assert not cancels_in_a_clause("never mind, just put the noise instead")


def test_a_clause_that_cancels_among_others() -> None:
    assert cancels_in_a_clause("ok same hole then, cancel mine, no point doubling up")
    assert cancels_in_a_clause(
        "同一栋楼的楼梯间。唉算了这个不报了，物业会被骂的", unmistakable=True
    )
    # A place with "算了" in it is no cancel where a place is asked for.
    assert not cancels_in_a_clause("南山区桃园路那边，算了", unmistakable=True)


def test_a_problem_gone_away_cancels_the_report() -> None:
    assert cancels_in_a_clause("哎等下，环卫车刚来收走了，不用报了", unmistakable=True)
    assert not cancels_in_a_clause("这个不用报警吧")


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("its on polk near... wait actually whats the last train from sf to san mateo", True),
        ("near the park. how much is a ticket to sf", True),
        ("its on broadway near pike, hold on actually whens the next streetcar", True),
        ("whats the last train tonight", True),
        ("outside 1450 polk st, what a mess", False),
        ("broken since monday, when it rained", False),
    ],
)
def test_a_question_asked_after_an_answer_is_a_question(text: str, asks: bool) -> None:
    assert looks_like_question(text) is asks


def test_send_it_and_another_report_in_english() -> None:
    from actions.complaints.intent_words import also_reports

    text = "yes file it. and can u also do one for the trash, theres bags and a broken chair"
    assert (
        also_reports(text) == "and can u also do one for the trash, theres bags and a broken chair"
    )
    assert also_reports("yes file it") is None


@pytest.mark.parametrize(
    ("text", "settled"),
    [
        ("等下不对，不是车公庙，是竹子林，我记错了，竹子林地铁站C口往西那段", "竹子林地铁站C口往西那段"),
        ("no wait, it's not Shenzhen Bay Road, it's Houhai Avenue, outside exit D",
         "Houhai Avenue, outside exit D"),
        ("我不是来找茬的，是真的忍不了", None),  # two clauses contrasted, nothing corrected
        # Owning up in English ("my mistake") is no part of the place.
        ("no, not Oak St, it is Channing Ave, my mistake", "Channing Ave"),
        ("no wait, it's not boeki center, it's the one by port terminal, sorry, the pedestrian "
         "underpass going to the ferry building",
         "the one by port terminal, the pedestrian underpass going to the ferry building"),
    ],
)  # fmt: skip
def test_an_answer_that_corrects_itself_keeps_what_was_settled_on(text, settled) -> None:
    from actions.complaints.intent_words import corrected_answer

    assert corrected_answer(text) == settled
