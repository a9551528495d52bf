"""Pure language logic: script analysis, Chinese script conversion, reply-language detection."""

from bot.language.detection import LanguageGuess, detect_language
from bot.language.script import to_simplified, to_traditional

__all__ = ["LanguageGuess", "detect_language", "to_simplified", "to_traditional"]
