"""The corpus of real-shaped exports (issue 10) and what the import tests build files from.

``build.py`` writes the files below this folder and ``manifest.json``; ``samples`` holds valid
rows of every dataset, ``formats`` the ways clerks' programs save them, ``damage`` and
``spoil`` the noise and the damage of the property tests, ``checks`` what every import test
checks beside its own outcome.
"""
