"""Street corners written the way continental Europe and Latin America name streets.

``streets_en`` reads US-style streets, whose kind comes after the name ("Polk St").
Residents of São Paulo, Madrid, Paris or Berlin name the kind first ("Rua Galvão
Bueno", "Av. do Estado", "Calle Mayor", "Rue de Rivoli") or inside the name
("Bahnhofstr.", "Seegefelder Straße", "Goetheallee"), and give a corner as two such
streets joined by a word of any language they mix: "av. do estado x rua da figueira",
"Bahnhofstr和Seegefelder Str那个路口", "Rua Galvão Bueno 靠近 Rua dos Estudantes 路口".
Two streets that both say they are streets, joined, are a spot a crew can find; a lone
street is not (the form asks for a number or a corner).

Street kinds are facts of the languages (Portuguese, Spanish, French, Italian, German,
Dutch and the Nordic street suffixes), with the abbreviations on their street signs.
"""

from __future__ import annotations

import re

from bot.language.mixed_script import mixed_pattern

__all__ = ["local_corner", "local_landmark_spans", "local_street", "local_street_spans"]

#: Kinds written before the name (case does not matter): Portuguese, Spanish, Catalan,
#: French, Italian, and the Slavic ul./bul.
_KIND_FIRST = (
    r"(?:rua|r\.|avenida|av\.?|alameda|al\.|largo|lgo\.|pra[cç]a|p[cç]a\.|travessa|tv\.|"
    r"estrada|estr\.|rodovia|viaduto|ladeira|calle|c/|carrer|paseo|camino|carretera|"
    r"rue|bd\.?|boulevard|all[ée]e|place|chemin|quai|via|viale|piazza|corso|ul\.|bul\.)"
)
#: Small words inside such names: "Rua dos Estudantes", "Calle de la Paz".
_PARTICLE = r"(?:da|das|do|dos|de|del|della|di|du|des|la|le|les|el|los|las|e|y)"
#: Words that end a name: what joins two streets, or a sentence's next word.
_STOP = (
    r"(?:and|x|e|y|near|at|in|on|by|corner|with|is|was|the|has|had|there|since|"
    r"for|from|to|of|its|it|outside|opposite|between|just)"
)
#: Latin letters only: Chinese written right after a name ("Str那个路口") is not of it.
_LETTER = r"A-Za-zÀ-ÖØ-öø-ɏ"
_WORD = rf"(?!{_STOP}\b)[{_LETTER}][{_LETTER}'’-]*"
#: A street whose kind comes first: "Rua Galvão Bueno", "av. do estado".
_STREET_KIND_FIRST = (
    rf"\b{_KIND_FIRST}\s*(?:{_PARTICLE}\s+){{0,2}}{_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_WORD}){{0,3}}"
)
#: A street whose kind ends its name: "Bahnhofstr.", "Seegefelder Str", "Goetheallee".
_SUFFIX = (
    r"(?:stra(?:ß|ss)e|str\.?|gasse|weg|allee|platz|damm|ring|chaussee|ufer|promenade|"
    r"laan|straat|gatan|gata|vej)"
)
_STREET_KIND_LAST = (
    rf"\b(?:[{_LETTER}][{_LETTER}'’-]*{_SUFFIX}|[{_LETTER}][{_LETTER}'’-]*\s+"
    rf"(?:stra(?:ß|ss)e|str\.?|allee|weg|platz))(?![{_LETTER}])"
)
_STREET = rf"(?:{_STREET_KIND_FIRST}|{_STREET_KIND_LAST})"
#: What joins two streets at a corner, in the languages residents mix.
_JOIN = (
    r"\s*(?:&|/|\+|\bx\b|\band\b|\be\b|\by\b|\bet\b|\bund\b|"
    r"\b(?:near|at|by)\s+(?:the\s+)?(?:corner|junction)\s+(?:of|with)\b|"
    r"\bcorner\s+(?:of|with)\b|和|与|與|跟|同|及|靠近|近|喺)\s*"
)
_CORNER = mixed_pattern(
    rf"{_STREET}{_JOIN}{_STREET}(?:\s*(?:那个|嗰个|的)?\s*(?:路口|街口|交界|交叉口|十字路口))?",
    re.IGNORECASE,
)


#: One street named kind first, its name capitalised ("Via Duomo", "Corso Vittorio
#: Emanuele", "Rua Augusta"): "via the bus" is no street.
_UPPER = r"A-ZÀ-ÖØ-Þ"
_ONE_STREET = re.compile(
    rf"(?i:\b{_KIND_FIRST})\s+(?:{_PARTICLE}\s+){{0,2}}[{_UPPER}][{_LETTER}'’-]+"
    rf"(?:\s+(?:{_PARTICLE}\s+)?[{_UPPER}][{_LETTER}'’-]+){{0,3}}"
)


#: Places named kind first, each a spot in itself: "Parque Lo Morant", "Plaza de los
#: Luceros", "Mercado Central" is named kind last and needs no help.
_LANDMARK_KIND_FIRST = (
    r"(?:parque|parc|jard[ií]n|jardines|jardim|jardins|plaza|pla[cç]a|pra[cç]a|piazza|"
    r"playa|platja|praia|plage|spiaggia|mercado|mercat|march[ée]|mercato|colegio|escuela|"
    r"escola|[ée]cole|scuola|instituto|iglesia|igreja|[ée]glise|chiesa|estaci[oó]n|estaci[oó]|"
    r"esta[cç][aã]o|gare|stazione|cementerio|cemit[ée]rio|polideportivo|biblioteca)"
)
_ONE_LANDMARK = re.compile(
    rf"(?<![{_LETTER}])(?i:{_LANDMARK_KIND_FIRST})\s+(?:{_PARTICLE}\s+){{0,2}}[{_UPPER}][{_LETTER}'’-]+"
    rf"(?:\s+(?:{_PARTICLE}\s+)?[{_UPPER}][{_LETTER}'’-]+){{0,3}}"
)


def local_landmark_spans(text: str) -> list[tuple[int, int]]:
    """Where each place named kind first stands ("Parque de Canalejas", "Plaça de Sant
    Jaume"): a spot a crew can find without a number."""
    return [found.span() for found in _ONE_LANDMARK.finditer(text or "")]


def local_street(text: str) -> str | None:
    """A street named kind first with a capitalised name, as written, or None."""
    found = _ONE_STREET.search(text or "")
    return found.group(0).strip() if found else None


def local_street_spans(text: str) -> list[tuple[int, int]]:
    """Where each street named kind first stands in ``text`` ("Via Foria" is a name, not
    a freedom-of-information request)."""
    return [found.span() for found in _ONE_STREET.finditer(text or "")]


def local_corner(text: str) -> str | None:
    """A corner of two streets named the local way, as written, or None."""
    found = _CORNER.search(text or "")
    return found.group(0).strip(" ,.") if found else None
