"""Mixed-script tokenisation."""

import jieba
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.tokenizer import domain_terms, split_at_boundaries, split_runs

_jieba = jieba.Tokenizer()


def texts(tokens: list[Token]) -> list[str]:
    return [t.text for t in tokens]


def test_latin_words_are_tokens_and_whitespace_is_not() -> None:
    tokens = split_runs("我想办个 business license", _jieba.tokenize)
    assert texts(tokens)[-2:] == ["business", "license"]
    assert all(t.text.strip() for t in tokens)


def test_words_of_other_scripts_stay_whole() -> None:
    """Another city's stop names keep their accented and non-Latin letters."""
    assert texts(split_runs("next bus at São Bento", _jieba.tokenize))[-2:] == ["São", "Bento"]
    assert texts(split_runs("Невский проспект站几点有车", _jieba.tokenize))[:3] == [
        "Невский",
        "проспект",
        "站",
    ]
    assert texts(split_runs("Straße", _jieba.tokenize)) == ["Straße"]


def test_token_offsets_point_into_the_original_text() -> None:
    text = "Line 1 几点末班？"
    for token in split_runs(text, _jieba.tokenize):
        assert text[token.start : token.end] == token.text


def test_punctuation_and_emoji_are_dropped() -> None:
    tokens = texts(split_runs("好的！👍 ok...", _jieba.tokenize))
    assert "".join(tokens) == "好的ok"


def test_tokens_are_cut_at_entity_edges() -> None:
    tokens = [Token("往前", 0), Token("海湾", 2)]
    assert texts(split_at_boundaries(tokens, [1, 4])) == ["往", "前", "海湾"]


def test_domain_terms_come_from_annotations_and_lookups_not_phrase_synonyms() -> None:
    example = Message.build("去前海湾怎么走", intent="transit_route")
    example.set("entities", [{"start": 1, "end": 4, "value": "前海湾", "entity": "stop"}])
    data = TrainingData(
        training_examples=[example],
        entity_synonyms={"垃圾没人收": "garbage"},
        lookup_tables=[{"name": "stop", "elements": ["车公庙", "Luohu"]}],
    )
    assert domain_terms(data) == ["前海湾", "车公庙"]
