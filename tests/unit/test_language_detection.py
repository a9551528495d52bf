"""Reply-language detection on short resident messages."""

import pytest

from bot.language import detect_language


@pytest.mark.parametrize(
    "text",
    [
        "不是",
        "下次再聊",
        "好的",
        "嗯",
        "我想办个 business license",
        "去 airport 怎么走",
        "SR20261234 怎么样了",
    ],
)
def test_chinese_messages_are_chinese(text: str) -> None:
    assert detect_language(text).language == "zh"


@pytest.mark.parametrize(
    "text",
    ["correct", "tell me a joke", "thanks 👍", "how to go 车公庙", "Is 罗湖 open", "Chegongmaio"],
)
def test_english_messages_are_english(text: str) -> None:
    assert detect_language(text).code == "en"


@pytest.mark.parametrize("text", ["車公廟下一班幾點", "謝謝！", "唔該", "我想辦居住證"])
def test_traditional_characters_mean_traditional_chinese(text: str) -> None:
    assert detect_language(text).code == "zh-Hant"


def test_simplified_characters_mean_simplified_chinese() -> None:
    assert detect_language("车公庙下一班几点").script == "hans"


def test_characters_shared_by_both_scripts_give_no_script_evidence() -> None:
    guess = detect_language("你好")
    assert guess.language == "zh"
    assert guess.script is None


@pytest.mark.parametrize(
    "text", ["ok", "OK!", "SR20261234", "sr 2026 1234", "Line 1?", "👍", "123456", "...", "", "   "]
)
def test_messages_without_language_evidence_return_none(text: str) -> None:
    assert detect_language(text).language is None
    assert not detect_language(text).unsupported


@pytest.mark.parametrize("text", ["こんにちは", "안녕하세요", "東京駅はどこですか"])
def test_japanese_and_korean_are_flagged_unsupported(text: str) -> None:
    guess = detect_language(text)
    assert guess.language is None
    assert guess.unsupported


def test_detection_is_deterministic() -> None:
    results = {detect_language("thanks 谢谢").code for _ in range(20)}
    assert len(results) == 1


def test_guess_serialises_for_the_tracker_store() -> None:
    assert detect_language("謝謝").as_dict() == {
        "code": "zh-Hant",
        "language": "zh",
        "script": "hant",
        "unsupported": False,
    }


@pytest.mark.parametrize(
    "text", ["Привет, где метро", "مرحبا أين المحطة", "สวัสดีครับ รถไฟ", "Γεια σας"]
)
def test_letters_of_other_scripts_are_flagged_unsupported(text: str) -> None:
    assert detect_language(text).unsupported


@pytest.mark.parametrize(
    "text",
    [
        "¿Dónde está la estación de autobuses?",
        "Bonjour, où est la gare s'il vous plaît",
        "Wo ist der Bahnhof bitte",
        "Hola, ¿a qué hora pasa el próximo tranvía de Luceros a la playa de San Juan?",
        "Tôi muốn đi đến sân bay",
        "Saya mau ke bandara, berapa harganya",
        # Asking whether the assistant speaks the language says which one it is.
        "¿Hablas español? Necesito renovar mi visa.",
        "Sprechen Sie Englisch?",
        # Tagalog, around an English name of the thing reported and an address
        "Magandang umaga po, may sirang parking meter sa harap ng 800 Kearny St",
        "Kumusta po, saan po ako pwedeng mag-report ng sirang ilaw sa kalye?",
        # Polish, Chicago's third language
        "Dzień dobry, latarnia przed moim domem nie świeci od tygodnia. Co mam zrobić?",
        "Dzien dobry, gdzie jest przystanek autobusowy?",
        # Finnish and Swedish, Helsinki's languages
        "Hei! Voinko tehdä vikailmoituksen suomeksi? Kotikadullani on iso kuoppa.",
        "Entä på svenska då? Kan jag skriva på svenska?",
    ],
)
def test_latin_script_languages_we_do_not_serve_are_flagged(text: str) -> None:
    assert detect_language(text).unsupported


@pytest.mark.parametrize(
    "text",
    [
        "where is Estacion Norte",
        "I need help con mi pasaporte por favor",
        "wat documents for pasport renewal",
        "bus 101 de Futian",
        "Is the metro running to Bao an",
        "hola",
        "next tram from Hakaniemi to Toolontori, it takes 10 min right",
        "Hej! is there a bus to Kamppi",
        # a city's stops, their articles and prepositions typed in lower case
        "porta del mar > plaza la coruna next one?",
        "how do i get from la vila joiosa to porta del mar",
    ],
)
def test_english_with_foreign_words_stays_english(text: str) -> None:
    guess = detect_language(text)
    assert not guess.unsupported
    assert guess.code == "en"


def test_bopomofo_is_not_a_foreign_script() -> None:
    assert not detect_language("我想辦居住證 ㄅㄆ").unsupported


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("When is the next bus at Централна Гара?", "en"),
        ("Централна Гара下一班公交车几点", "zh"),
        ("从Централна Гара到Пл. Сточна Гара怎么走", "zh"),
        ("where is Shinjuku station, 新宿 しんじゅく in Japanese", "en"),
    ],
)
def test_a_name_in_another_script_inside_a_served_sentence_is_a_name(text: str, code: str) -> None:
    """A city's own stops may be Cyrillic (Sofia): the sentence around them decides."""
    guess = detect_language(text)
    assert not guess.unsupported
    assert guess.code == code
