"""The complaints journey: the form, filing through Open311, following tickets up.

Pure rules (no I/O, no Rasa) live in their own modules so they are tested in
milliseconds and reused by the form, the console and the benchmarks:
``phone`` (find, mask and decline contact numbers), ``intent_words`` (cancel,
yes, change, question), ``description`` (does a message describe the problem
or give a place), ``dates`` (dates in each reply language) and ``text`` (the
folding they share, Traditional to Simplified).
"""
