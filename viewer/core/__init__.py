"""The Qt-free core: loading, alignment, word diff, extraneous detection, export."""
