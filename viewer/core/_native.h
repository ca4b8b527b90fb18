/* What the sources of the _native extension share: the functions _native.c puts in the
 * module's method table from the other sources. */
#ifndef VIEWER_NATIVE_H
#define VIEWER_NATIVE_H
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* _chunks.c: codes and flags of whitespace-separated chunks (extraneous_words.py) */
extern const char configure_chunks_doc[];
PyObject *configure_chunks(PyObject *self, PyObject *args);
extern const char chunk_codes_doc[];
PyObject *chunk_codes(PyObject *self, PyObject *args);
extern const char text_codes_doc[];
PyObject *text_codes(PyObject *self, PyObject *args);

/* _build.c: the segments and changes of an aligned group (compare._Builder) */
extern const char configure_builder_doc[];
PyObject *configure_builder(PyObject *self, PyObject *args);
extern const char add_ops_doc[];
PyObject *add_ops(PyObject *self, PyObject *args);

#endif
