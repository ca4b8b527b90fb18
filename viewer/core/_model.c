/* The detector's binned logistic regressions (extraneous_model.BinnedLogit.logit) over
 * many rows at once: for each feature a bisection of its bin edges, then the bias plus
 * the bins' weights added left to right, as Python 3.11's sum() adds floats. And one of
 * its features, the number of sentence ends in a block (sentence_ends). */
#include "_native.h"
#include <string.h>

/* A tuple of tuples of numbers as one array of doubles, with where each tuple starts. */
static int
flatten(PyObject *outer, const char *what, double **values, Py_ssize_t **starts)
{
    Py_ssize_t n, total = 0;
    if (!PyTuple_Check(outer)) {
        PyErr_Format(PyExc_TypeError, "%s: a tuple of tuples of floats", what);
        return -1;
    }
    n = PyTuple_GET_SIZE(outer);
    for (Py_ssize_t j = 0; j < n; j++) {
        PyObject *inner = PyTuple_GET_ITEM(outer, j);
        if (!PyTuple_Check(inner)) {
            PyErr_Format(PyExc_TypeError, "%s: a tuple of tuples of floats", what);
            return -1;
        }
        total += PyTuple_GET_SIZE(inner);
    }
    *values = PyMem_Malloc((size_t)(total + 1) * sizeof(double));
    *starts = PyMem_Malloc((size_t)(n + 1) * sizeof(Py_ssize_t));
    if (*values == NULL || *starts == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    total = 0;
    for (Py_ssize_t j = 0; j < n; j++) {
        PyObject *inner = PyTuple_GET_ITEM(outer, j);
        (*starts)[j] = total;
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(inner); k++) {
            PyObject *item = PyTuple_GET_ITEM(inner, k);
            if (!PyFloat_Check(item)) {
                PyErr_Format(PyExc_TypeError, "%s: a tuple of tuples of floats", what);
                return -1;
            }
            (*values)[total++] = PyFloat_AS_DOUBLE(item);
        }
    }
    (*starts)[n] = total;
    return 0;
}

const char binned_logits_doc[] =
    "binned_logits(rows, edges, weights, bias) -> list[float]\n\n"
    "BinnedLogit.logit of each row (a sequence of floats, one per feature): the same\n"
    "values. A row of the wrong length raises ValueError, a bin without a weight\n"
    "IndexError, as the Python method does.";

PyObject *
binned_logits(PyObject *self, PyObject *args)
{
    PyObject *rows, *edges, *weights, *fast = NULL, *out = NULL;
    double bias, *edge = NULL, *weight = NULL;
    Py_ssize_t *edge_at = NULL, *weight_at = NULL, features;
    (void)self;
    if (!PyArg_ParseTuple(args, "OO!O!d:binned_logits", &rows, &PyTuple_Type, &edges,
                          &PyTuple_Type, &weights, &bias))
        return NULL;
    features = PyTuple_GET_SIZE(edges);
    if (PyTuple_GET_SIZE(weights) != features) {
        PyErr_SetString(PyExc_ValueError, "one tuple of weights per feature");
        return NULL;
    }
    if (flatten(edges, "edges", &edge, &edge_at) < 0 ||
        flatten(weights, "weights", &weight, &weight_at) < 0)
        goto done;
    if (!(fast = PySequence_Fast(rows, "rows: a sequence of rows")))
        goto done;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    if (!(out = PyList_New(n)))
        goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *row = PySequence_Fast(PySequence_Fast_GET_ITEM(fast, i), "a row of floats");
        double sum = bias;
        PyObject *value;
        if (row == NULL)
            goto fail;
        if (PySequence_Fast_GET_SIZE(row) != features) {
            PyErr_Format(PyExc_ValueError, "expected %zd features, got %zd", features,
                         PySequence_Fast_GET_SIZE(row));
            Py_DECREF(row);
            goto fail;
        }
        for (Py_ssize_t j = 0; j < features; j++) {
            PyObject *item = PySequence_Fast_GET_ITEM(row, j);
            double x;
            Py_ssize_t lo = 0, hi = edge_at[j + 1] - edge_at[j];
            const double *a = edge + edge_at[j];
            if (!PyFloat_Check(item)) {
                PyErr_SetString(PyExc_TypeError, "features are floats");
                Py_DECREF(row);
                goto fail;
            }
            x = PyFloat_AS_DOUBLE(item);
            while (lo < hi) {  /* bisect_right: a NaN goes past every edge, as there */
                Py_ssize_t mid = (lo + hi) / 2;
                if (x < a[mid])
                    hi = mid;
                else
                    lo = mid + 1;
            }
            if (lo >= weight_at[j + 1] - weight_at[j]) {
                PyErr_SetString(PyExc_IndexError, "tuple index out of range");
                Py_DECREF(row);
                goto fail;
            }
            sum += weight[weight_at[j] + lo];
        }
        Py_DECREF(row);
        if (!(value = PyFloat_FromDouble(sum)))
            goto fail;
        PyList_SET_ITEM(out, i, value);
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    Py_XDECREF(fast);
    PyMem_Free(edge);
    PyMem_Free(weight);
    PyMem_Free(edge_at);
    PyMem_Free(weight_at);
    return out;
}

/* A set of characters given as a str, with a table for the ASCII ones. */
typedef struct {
    PyObject *chars;
    unsigned char ascii[128];
} CharSet;

static void
char_set(CharSet *set, PyObject *chars)
{
    set->chars = chars;
    memset(set->ascii, 0, sizeof set->ascii);
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(chars); i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(chars, i);
        if (c < 128)
            set->ascii[c] = 1;
    }
}

/* 1 if c is in the set, else 0. */
static int
in_set(const CharSet *set, Py_UCS4 c)
{
    if (c < 128)
        return set->ascii[c];
    return PyUnicode_FindChar(set->chars, c, 0, PyUnicode_GET_LENGTH(set->chars), 1) >= 0;
}

const char sentence_ends_doc[] =
    "sentence_ends(texts, ends, closers, openers, starts) -> list[int]\n\n"
    "For each text, how many times findall() finds\n"
    "[ends][closers]*\\s+[openers]?[starts] in it (each argument a str of its characters;\n"
    "the sets of ends, closers, whitespace and openers share no character, so each match\n"
    "is found without backtracking), as extraneous_features.SENTENCE_END counts them.";

PyObject *
sentence_ends(PyObject *self, PyObject *args)
{
    PyObject *texts, *chars[4], *fast, *out;
    CharSet ends, closers, openers, starts;
    (void)self;
    if (!PyArg_ParseTuple(args, "OUUUU:sentence_ends", &texts, &chars[0], &chars[1], &chars[2],
                          &chars[3]))
        return NULL;
    char_set(&ends, chars[0]);
    char_set(&closers, chars[1]);
    char_set(&openers, chars[2]);
    char_set(&starts, chars[3]);
    if (!(fast = PySequence_Fast(texts, "texts: a sequence of str")))
        return NULL;
    out = PyList_New(PySequence_Fast_GET_SIZE(fast));
    for (Py_ssize_t t = 0; out != NULL && t < PySequence_Fast_GET_SIZE(fast); t++) {
        PyObject *text = PySequence_Fast_GET_ITEM(fast, t), *count;
        Py_ssize_t n, found = 0, i = 0;
        int kind;
        const void *data;
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "texts are str");
            Py_CLEAR(out);
            break;
        }
        n = PyUnicode_GET_LENGTH(text);
        kind = PyUnicode_KIND(text);
        data = PyUnicode_DATA(text);
        while (i < n) {
            Py_ssize_t j = i + 1, k;
            if (!in_set(&ends, PyUnicode_READ(kind, data, i))) {
                i++;
                continue;
            }
            while (j < n && in_set(&closers, PyUnicode_READ(kind, data, j)))
                j++;
            for (k = j; k < n && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, k));)
                k++;
            if (k > j && k < n && in_set(&openers, PyUnicode_READ(kind, data, k)) && k + 1 < n &&
                in_set(&starts, PyUnicode_READ(kind, data, k + 1)))
                k++;
            if (k > j && k < n && in_set(&starts, PyUnicode_READ(kind, data, k))) {
                found++;
                i = k + 1;  /* findall goes on after the match */
            }
            else
                i++;
        }
        if (!(count = PyLong_FromSsize_t(found))) {
            Py_CLEAR(out);
            break;
        }
        PyList_SET_ITEM(out, t, count);
    }
    Py_DECREF(fast);
    return out;
}
