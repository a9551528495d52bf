"""Rasa-side code of the city assistant: NLU components, NLG and channels."""

from bot.speedups import install as _install_speedups

# Every Rasa process that serves our model imports ``bot`` (the NLU pipeline names
# bot.nlu components), so the speed fixes are in place before the first message.
_install_speedups()
