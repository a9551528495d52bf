"""A plate or code in the description, told again correctly (actions/complaints/identifiers.py)."""

from __future__ import annotations

from actions.complaints.identifiers import corrected_identifier


def test_a_plate_read_again_replaces_the_half_read_one_written_full_width() -> None:
    description = "消防通道被一辆白色宝马堵死了 车牌粤Ｂ８８８ＸＸ后面两位没看清"
    fixed = corrected_identifier("等下，车牌我刚下楼看清楚了 是粤B88812", description)
    assert fixed == "消防通道被一辆白色宝马堵死了 车牌粤B88812后面两位没看清"


def test_a_lamp_post_number_replaces_the_one_of_the_same_series() -> None:
    fixed = corrected_identifier("sorry the pole is FT-0833", "light out, pole FT-0832")
    assert fixed == "light out, pole FT-0833"


def test_nothing_changes_without_an_identifier_of_the_same_kind_on_both_sides() -> None:
    assert corrected_identifier("电话13600001234", "灯杆上有个编号FT-0832") is None
    assert corrected_identifier("是粤B88812", "有辆车乱停在门口") is None
    assert corrected_identifier("pole AB-1234", "pole FT-0832") is None
    assert corrected_identifier("车牌粤B88812", "车牌粤B88812 堵了消防通道") is None
