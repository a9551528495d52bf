"""NLU component: tokenise Chinese with jieba and Latin text as words, in one pass.

Rasa 3.6's ``JiebaTokenizer`` hands whole Latin runs, spaces included, to jieba,
which returns whitespace as tokens (RasaHQ/rasa#7910). Residents mix scripts
("我想办个 business license", "Line 1 几点"), so this tokenizer splits the text
into Han runs (segmented by jieba) and Latin/digit words, and drops the rest.

Domain terms (station names, permit names, complaint categories) must be single
tokens so that entity annotations align with token boundaries. They are taken
from the training data itself (annotated entity texts, synonyms, lookup tables)
and from optional dictionary files, and stored with the model.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, Dict, Iterable, List

import jieba
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.request_clauses import keep_request

jieba.setLogLevel(logging.WARNING)

_HAN_CLASS = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Words of every other script are letter/digit runs: not only ASCII, because another
# city's stops are "Straße", "São Bento", "Øya", "Невский проспект" (its GTFS feed), and
# a word cut at its first accented letter loses the features of both halves.
_RUNS = re.compile(
    rf"(?P<han>[{_HAN_CLASS}]+)"
    rf"|(?P<word>(?:(?![{_HAN_CLASS}])[^\W_])+(?:['’](?:(?![{_HAN_CLASS}])[^\W_])+)?)"
)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_USER_DICTIONARY = "user_dictionary.txt"
_MAX_TERM_CHARS = 8


def split_runs(text: str, segment: Any) -> List[Token]:
    """Split ``text`` into tokens: ``segment(run)`` yields (word, start, end) for Han runs."""
    tokens: List[Token] = []
    for match in _RUNS.finditer(text):
        if match.group("han"):
            offset = match.start()
            for word, start, _ in segment(match.group()):
                tokens.append(Token(word, offset + start))
        else:
            tokens.append(Token(match.group(), match.start()))
    return tokens


def domain_terms(training_data: TrainingData) -> List[str]:
    """Han-script words the training data annotates as entities or lists in lookup tables.

    Synonym keys are left out on purpose: many are phrases ("垃圾没人收") that
    would swallow the shorter entity inside them.
    """
    terms = set()
    for example in training_data.training_examples:
        text = example.get(TEXT) or ""
        for entity in example.get(ENTITIES) or []:
            terms.add(text[entity["start"] : entity["end"]])
    for table in training_data.lookup_tables:
        elements = table.get("elements")
        if isinstance(elements, list):
            terms.update(str(element) for element in elements)
    return sorted(
        term
        for term in (t.strip() for t in terms)
        if _HAN.search(term) and " " not in term and len(term) <= _MAX_TERM_CHARS
    )


def split_at_boundaries(tokens: List[Token], boundaries: Iterable[int]) -> List[Token]:
    """Split tokens so that no token straddles one of the character offsets given."""
    cuts = sorted(set(boundaries))
    result: List[Token] = []
    for token in tokens:
        inner = [c for c in cuts if token.start < c < token.end]
        if not inner:
            result.append(token)
            continue
        edges = [token.start, *inner, token.end]
        for start, end in zip(edges, edges[1:], strict=False):
            result.append(Token(token.text[start - token.start : end - token.start], start))
    return result


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class MixedScriptTokenizer(Tokenizer):
    """Tokenizer for Chinese, English and mixed messages (see module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "dictionary_path": None,
            # Long messages are cut to this many tokens (the classifier's cost grows
            # with length, in training too): the clauses that carry the request are
            # kept (bot/nlu/request_clauses.py), wherever they are in the message.
            "max_tokens": 64,
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def supported_languages() -> List[str] | None:
        return None

    @staticmethod
    def required_packages() -> List[str]:
        return ["jieba"]

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        words: Iterable[str] = (),
    ) -> None:
        super().__init__(config)
        self._model_storage = model_storage
        self._resource = resource
        self._jieba = jieba.Tokenizer()
        self._words: List[str] = []
        self._add_words(words)

    def _add_words(self, words: Iterable[str]) -> None:
        for word in words:
            self._jieba.add_word(word)
            self._words.append(word)

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MixedScriptTokenizer:
        return cls(config, model_storage, resource, _read_dictionaries(config["dictionary_path"]))

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> MixedScriptTokenizer:
        words: List[str] = []
        try:
            with model_storage.read_from(resource) as directory:
                words = _read_words(Path(directory) / _USER_DICTIONARY)
        except ValueError:
            words = _read_dictionaries(config["dictionary_path"])
        return cls(config, model_storage, resource, words)

    def train(self, training_data: TrainingData) -> Resource:
        self._add_words(domain_terms(training_data))
        with self._model_storage.write_to(self._resource) as directory:
            (Path(directory) / _USER_DICTIONARY).write_text(
                "\n".join(sorted(set(self._words))) + "\n", encoding="utf-8"
            )
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Tokenise as usual, then cut tokens at annotated entity edges.

        jieba may glue an entity to its neighbour ("往前海湾" → 往前/海湾); in
        training the annotation says where the entity is, so the token is cut
        there and DIET learns from aligned labels.
        """
        training_data = super().process_training_data(training_data)
        for example in training_data.training_examples:
            entities = example.get(ENTITIES) or []
            tokens = example.get(TOKENS_NAMES[TEXT])
            if entities and tokens:
                edges = [edge for e in entities for edge in (e["start"], e["end"])]
                example.set(TOKENS_NAMES[TEXT], split_at_boundaries(tokens, edges))
        return training_data

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        text = message.get(attribute) or ""
        tokens = split_runs(text, self._jieba.tokenize)
        if not tokens:
            # Rasa's featurizers need at least one token; keep the raw text, as
            # Rasa's own WhitespaceTokenizer does for emoji-only messages.
            stripped = text.strip() or "_"
            tokens = [Token(stripped, max(text.find(stripped), 0))]
        return self._apply_token_pattern(keep_request(tokens, text, self._config["max_tokens"]))


def _read_words(path: Path) -> List[str]:
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split()[0] if line.strip() and not line.startswith("#") else ""
        if word:
            words.append(word)
    return words


def _read_dictionaries(dictionary_path: str | None) -> List[str]:
    if not dictionary_path:
        return []
    directory = Path(dictionary_path)
    if not directory.is_dir():
        raise FileNotFoundError(
            f"MixedScriptTokenizer: dictionary_path '{dictionary_path}' is not a directory"
        )
    words: List[str] = []
    for path in sorted(directory.glob("*.txt")):
        words.extend(_read_words(path))
    return words
