"""Build hook for the one optional C extension; everything else is in pyproject.toml.

viewer/core/_native.c, with _features.c, _chunks.c, _build.c, _groups.c, _strtable.c and
_model.c, runs the inner loops of a comparison: alignment's word sets and candidate search,
the word diff's tokenising, the segments and changes, word counts, the detector's chunk
coding and its model; _process.c tunes a one-shot command line process. It is optional:
where no C compiler or Python headers are found, the install still succeeds and every
caller uses its pure-Python reference, which gives the same result (tests check both agree).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "viewer.core._native",
            [
                "viewer/core/_native.c",
                "viewer/core/_features.c",
                "viewer/core/_chunks.c",
                "viewer/core/_build.c",
                "viewer/core/_groups.c",
                "viewer/core/_strtable.c",
                "viewer/core/_model.c",
                "viewer/core/_process.c",
            ],
            depends=["viewer/core/_native.h"],
            optional=True,
        )
    ]
)
