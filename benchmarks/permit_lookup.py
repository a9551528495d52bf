"""Permit lookup at a real catalogue's scale: accuracy and time among 5,000 entries.

i深圳 lists over 8,000 service items; the sandbox catalogue holds the real Shenzhen
items we wrote up (sandbox/data/permits_catalogue.yml). This benchmark hides those
among generated entries shaped like a government catalogue's ("食品经营许可证核发（南
山区）" / "Food business licence: issue (Nanshan)") until there are ``--size`` entries,
then asks about every real entry the way residents do:

* by a name or alias inside a question ("我想问一下社保卡怎么办");
* with a typo (two letters swapped in an English name) or a pinyin homophone (one
  character replaced by another with the same pinyin, as an IME slip does);
* by what the item is for (one of its keywords) rather than its name.

Counted: top-1 (the entry answered about without asking is the right one), in the
shortlist (the right one among the buttons of a close call), and the time of one
lookup. Run: ``make bench-permit-lookup`` → ``docs/permit-lookup.md``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml
from pypinyin import Style, pinyin

from actions.clients.permits import PermitService, parse_service
from actions.permits.types import Found, choose

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "sandbox" / "data" / "permits_catalogue.yml"

_OBJECTS = [
    ("建设工程规划许可证", "construction planning permit"),
    ("食品经营许可证", "food business licence"),
    ("排水许可证", "drainage permit"),
    ("占道施工许可", "roadworks occupation permit"),
    ("户外广告设置许可", "outdoor advertising permit"),
    ("医师执业注册", "physician practice registration"),
    ("药品经营许可证", "pharmaceutical trading licence"),
    ("出版物经营许可证", "publication trading licence"),
    ("娱乐场所经营许可证", "entertainment venue licence"),
    ("燃气经营许可证", "gas supply licence"),
    ("道路运输经营许可证", "road transport licence"),
    ("建筑施工企业资质", "construction company qualification"),
    ("特种设备使用登记", "special equipment registration"),
    ("消防设计审查", "fire safety design review"),
    ("环境影响评价审批", "environmental impact approval"),
    ("林木采伐许可证", "tree felling permit"),
    ("民办学校办学许可证", "private school licence"),
    ("医疗机构执业许可证", "medical institution licence"),
    ("护士执业注册", "nurse registration"),
    ("人力资源服务许可证", "human resources service licence"),
    ("劳务派遣经营许可证", "labour dispatch licence"),
    ("旅行社业务经营许可证", "travel agency licence"),
    ("拍卖企业经营许可", "auction business licence"),
    ("危险化学品经营许可证", "hazardous chemicals licence"),
    ("烟草专卖零售许可证", "tobacco retail licence"),
    ("酒类商品零售许可", "liquor retail licence"),
    ("二类医疗器械经营备案", "class II medical device filing"),
    ("公共场所卫生许可证", "public venue hygiene permit"),
    ("饮用水供水单位卫生许可", "drinking water supplier hygiene permit"),
    ("放射诊疗许可", "radiological practice permit"),
    ("建筑垃圾处置核准", "construction waste disposal approval"),
    ("城市道路挖掘许可", "street excavation permit"),
    ("临时占用绿地审批", "temporary green space use approval"),
    ("砍伐城市树木审批", "city tree removal approval"),
    ("商品房预售许可", "off-plan sales permit"),
    ("房地产经纪机构备案", "estate agency filing"),
    ("物业服务企业备案", "property management company filing"),
    ("养老机构备案", "elderly care home filing"),
    ("社会团体登记", "social organisation registration"),
    ("民办非企业单位登记", "private non-enterprise registration"),
    ("基金会登记", "foundation registration"),
    ("宗教活动场所登记", "religious venue registration"),
    ("档案查询", "archive enquiry"),
    ("港口经营许可", "port operation licence"),
    ("船舶登记", "ship registration"),
    ("渔业捕捞许可证", "fishing licence"),
    ("种子生产经营许可证", "seed production licence"),
    ("动物防疫条件合格证", "animal epidemic prevention certificate"),
    ("兽药经营许可证", "veterinary drug licence"),
    ("饲料生产许可证", "animal feed production licence"),
    ("农药经营许可证", "pesticide trading licence"),
    ("取水许可", "water abstraction permit"),
    ("河道管理范围内建设项目审批", "riverside construction approval"),
    ("水土保持方案审批", "soil conservation plan approval"),
    ("地名命名审批", "place naming approval"),
    ("门牌号编制", "house number assignment"),
    ("测绘资质", "surveying qualification"),
    ("广播电视节目制作经营许可证", "broadcast production licence"),
    ("网络文化经营许可证", "online culture licence"),
    ("营业性演出许可证", "commercial performance licence"),
    ("艺术品经营备案", "art dealing filing"),
    ("互联网上网服务营业场所许可", "internet cafe licence"),
    ("电影放映单位设立审批", "cinema licence"),
    ("体育经营活动许可", "sports business licence"),
    ("高危险性体育项目许可", "high-risk sports permit"),
    ("职业技能等级认定", "vocational skill certification"),
    ("教师资格认定", "teacher qualification"),
    ("律师执业许可", "lawyer practice licence"),
    ("公证员执业审批", "notary practice approval"),
    ("司法鉴定机构登记", "forensic institution registration"),
    ("保安服务许可证", "security service licence"),
    ("典当经营许可", "pawnshop licence"),
    ("易制毒化学品购买备案", "precursor chemical purchase filing"),
    ("爆破作业单位许可", "blasting licence"),
    ("大型群众性活动安全许可", "large public event permit"),
    ("无人机飞行报备", "drone flight notice"),
    ("机动车维修经营备案", "vehicle repair filing"),
    ("驾驶员培训机构备案", "driving school filing"),
    ("出租汽车经营许可", "taxi operation licence"),
    ("网约车运输证", "ride-hailing vehicle permit"),
    ("巡游出租车驾驶员证", "taxi driver permit"),
    ("超限运输车辆行驶许可", "oversize vehicle permit"),
    ("停车场备案", "car park filing"),
    ("充电设施报装", "EV charger installation"),
    ("用电报装", "electricity connection"),
    ("用水报装", "water connection"),
    ("燃气报装", "gas connection"),
    ("通信管线报建", "telecom duct permit"),
    ("人防工程审批", "civil air defence approval"),
    ("防雷装置设计审核", "lightning protection design review"),
    ("气象信息服务备案", "weather service filing"),
    ("计量器具型式批准", "measuring instrument approval"),
    ("工业产品生产许可证", "industrial product licence"),
    ("检验检测机构资质认定", "testing laboratory accreditation"),
    ("商标质押登记", "trademark pledge registration"),
    ("专利资助申请", "patent subsidy application"),
    ("高新技术企业认定", "high-tech enterprise certification"),
    ("科技型中小企业评价", "tech SME assessment"),
    ("外商投资企业备案", "foreign-invested enterprise filing"),
    ("对外贸易经营者备案", "foreign trade operator filing"),
    ("报关单位注册", "customs declarant registration"),
    ("出口退税备案", "export tax rebate filing"),
]
_ACTIONS = [
    ("核发", "issue"),
    ("变更", "change"),
    ("延续", "renewal"),
    ("注销", "cancellation"),
    ("补办", "replacement"),
    ("备案", "filing"),
    ("年度报告", "annual report"),
    ("换发", "reissue"),
    ("查询", "enquiry"),
]
_DISTRICTS = [
    ("福田区", "Futian"),
    ("罗湖区", "Luohu"),
    ("南山区", "Nanshan"),
    ("宝安区", "Bao'an"),
    ("龙岗区", "Longgang"),
    ("龙华区", "Longhua"),
    ("坪山区", "Pingshan"),
    ("光明区", "Guangming"),
    ("盐田区", "Yantian"),
    ("大鹏新区", "Dapeng"),
    ("市级", "city level"),
]
#: Characters an IME may offer in place of another with the same pinyin.
_COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下"
    "过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两"
    "体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线"
    "内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并"
    "提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见"
    "计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七"
    "海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场"
    "身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广"
    "石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办"
)


def _sound(char: str) -> str:
    return str(pinyin(char, style=Style.NORMAL)[0][0])


def homophone(text: str, rng: random.Random) -> str | None:
    """``text`` with one Chinese character swapped for another of the same pinyin."""
    by_sound: dict[str, list[str]] = defaultdict(list)
    for char in _COMMON:
        by_sound[_sound(char)].append(char)
    positions = [i for i, ch in enumerate(text) if "\u4e00" <= ch <= "\u9fff"]
    rng.shuffle(positions)
    for i in positions:
        alike = [c for c in by_sound.get(_sound(text[i]), ()) if c != text[i]]
        if alike:
            return text[:i] + rng.choice(alike) + text[i + 1 :]
    return None


def typo(text: str, rng: random.Random) -> str | None:
    """Two adjacent letters swapped inside a word of five letters or more."""
    words = [w for w in text.split() if len(w) >= 5 and w.isalpha()]
    if not words:
        return None
    word = rng.choice(words)
    i = rng.randrange(1, len(word) - 2)
    slipped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return text.replace(word, slipped, 1)


def generated(size: int, real: list[PermitService]) -> list[PermitService]:
    """``size`` entries: the real ones, then generated ones shaped like a city's items."""
    entries = list(real)
    for (zh, en), (action_zh, action_en), (district_zh, district_en) in (
        (o, a, d) for d in _DISTRICTS for o in _OBJECTS for a in _ACTIONS
    ):
        if len(entries) >= size:
            break
        body: dict[str, Any] = {
            "permit_type": f"gen_{len(entries)}",
            "name": {
                "zh": f"{zh}{action_zh}（{district_zh}）",
                "en": f"{en}: {action_en} ({district_en})",
            },
        }
        entries.append(parse_service(body))
    return entries


def questions(service: PermitService, rng: random.Random) -> list[tuple[str, str]]:
    """(style, question) pairs about one real entry."""
    raw = service.raw
    aliases = raw.get("aliases") or {}
    keywords = raw.get("keywords") or {}
    zh_name = rng.choice(list(aliases.get("zh") or []) or [service.name.get("zh", "")])
    en_name = rng.choice(list(aliases.get("en") or []) or [service.name.get("en", "")])
    asked = [
        ("name zh", f"我想问一下{zh_name}怎么办理"),
        ("name en", f"how do I get a {en_name}?"),
    ]
    slipped = homophone(zh_name, rng)
    if slipped:
        asked.append(("homophone zh", f"{slipped}需要什么材料"))
    swapped = typo(en_name, rng)
    if swapped:
        asked.append(("typo en", f"what documents for {swapped}"))
    if keywords.get("zh"):
        asked.append(("keyword zh", f"{rng.choice(keywords['zh'])}要怎么弄"))
    if keywords.get("en"):
        asked.append(("keyword en", f"I need help with {rng.choice(keywords['en'])}"))
    return asked


def run(size: int, seed: int) -> str:
    rng = random.Random(seed)
    document = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    real = [parse_service(item) for item in document["permits"]]
    catalogue = tuple(generated(size, real))
    choose([], "warm up", catalogue)
    results: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    timings: list[float] = []
    for service in real:
        for style, question in questions(service, rng):
            started = time.perf_counter()
            choice = choose([], question, catalogue)
            timings.append(time.perf_counter() - started)
            tally = results[style]
            tally[0] += 1
            tally[1] += choice.found is Found.KNOWN and choice.service is service
            tally[2] += choice.service is service or service in choice.shortlist
    timings.sort()
    lines = [
        "# Permit lookup in a catalogue of a real city's size",
        "",
        f"Generated by `make bench-permit-lookup` (benchmarks/permit_lookup.py): the "
        f"{len(real)} real Shenzhen entries of the sandbox catalogue hidden among "
        f"{len(catalogue) - len(real)} generated ones ({len(catalogue)} in all), asked about "
        "by name, with typos and pinyin homophones, and by what they are for (keywords).",
        "",
        "| question style | questions | answered about the right entry | right entry offered |",
        "|---|---|---|---|",
    ]
    total = [0, 0, 0]
    for style, (count, top1, offered) in sorted(results.items()):
        lines.append(
            f"| {style} | {count} | {100 * top1 / count:.1f}% | {100 * offered / count:.1f}% |"
        )
        total = [total[0] + count, total[1] + top1, total[2] + offered]
    lines.append(
        f"| **all** | {total[0]} | {100 * total[1] / total[0]:.1f}% | "
        f"{100 * total[2] / total[0]:.1f}% |"
    )
    lines += [
        "",
        f"One lookup (the whole `choose`): median {1000 * statistics.median(timings):.2f} ms, "
        f"p95 {1000 * timings[int(0.95 * (len(timings) - 1))]:.2f} ms, "
        f"max {1000 * timings[-1]:.2f} ms on one core of this machine (index built once per "
        "catalogue version, not counted).",
        "",
        "*answered about the right entry*: the assistant answers without asking, about the "
        "entry meant; *right entry offered*: that, or the entry is among the buttons of a "
        "close call.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    report = run(args.size, args.seed)
    print(report)
    if args.report:
        args.report.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
