"""Matching what a resident wrote to the entries of a list: a city's services, its permits,
the NLU's entity values.

Shared by both processes like ``bot.language``: the NLU links entity values with it, the
actions match the city's own lists. The lists may be in any language and any size, so
nothing here knows an entry: text is turned into features (English word stems, Chinese
character pairs and their pinyin), weighed by how rare they are in the list, and
tolerant of typos and IME homophones.
"""
