/* Native candidate search for paragraph alignment (viewer/core/alignwords.py).
 *
 * candidates() is the inner loop of alignment: for every block of one side, the blocks
 * of the other side sharing its rarest words, scored by weighted Dice. The pure-Python
 * version in alignwords.py is the reference; this one gives the very same list (same
 * pairs, same order, bit-identical floats) and tests check that they agree:
 *   - postings list blocks in the order of the ids given, as the Python dict of lists;
 *   - scores accumulate in the order of the probe words, as the Python loop adds them;
 *   - the best few keep ties in order of first touch (a stable descending sort);
 *   - shared weight is summed exactly rounded with CPython's math.fsum algorithm.
 * The GIL is released while it computes, so the window's event loop keeps running.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Exactly rounded sum of n doubles, with the algorithm of CPython's math.fsum
 * (Shewchuk's non-overlapping partials, then half-even correction). partials must
 * hold at least n + 1 doubles. */
static double
fsum_exact(const double *xs, Py_ssize_t count, double *p)
{
    Py_ssize_t i, j, n = 0;
    double x, y, t, hi, yr, lo = 0.0;

    for (Py_ssize_t c = 0; c < count; c++) {
        x = xs[c];
        for (i = j = 0; j < n; j++) {
            y = p[j];
            if (fabs(x) < fabs(y)) {
                t = x;
                x = y;
                y = t;
            }
            hi = x + y;
            yr = hi - x;
            lo = y - yr;
            if (lo != 0.0)
                p[i++] = lo;
            x = hi;
        }
        n = i;
        if (x != 0.0)
            p[n++] = x;
    }
    hi = 0.0;
    if (n > 0) {
        hi = p[--n];
        while (n > 0) {
            x = hi;
            y = p[--n];
            hi = x + y;
            yr = hi - x;
            lo = y - yr;
            if (lo != 0.0)
                break;
        }
        if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0))) {
            y = lo * 2.0;
            x = hi + y;
            yr = x - hi;
            if (y == yr)
                hi = x;
        }
    }
    return hi;
}

static int
cmp_ssize(const void *a, const void *b)
{
    Py_ssize_t x = *(const Py_ssize_t *)a, y = *(const Py_ssize_t *)b;
    return x < y ? -1 : (x > y);
}

/* The ranks of the words of a set, appended to *out (grown as needed). */
static int
set_ranks(PyObject *set, PyObject *rank, Py_ssize_t nwords, Py_ssize_t **out,
          Py_ssize_t *len, Py_ssize_t *cap)
{
    PyObject *it = PyObject_GetIter(set);
    PyObject *word;
    if (it == NULL)
        return -1;
    while ((word = PyIter_Next(it)) != NULL) {
        PyObject *r = PyDict_GetItemWithError(rank, word);
        Py_ssize_t v;
        if (r == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, word);
            Py_DECREF(word);
            Py_DECREF(it);
            return -1;
        }
        Py_DECREF(word);
        v = PyLong_AsSsize_t(r);
        if (v == -1 && PyErr_Occurred()) {
            Py_DECREF(it);
            return -1;
        }
        if (v < 0 || v >= nwords) {
            PyErr_SetString(PyExc_ValueError, "word rank out of range");
            Py_DECREF(it);
            return -1;
        }
        if (*len == *cap) {
            Py_ssize_t grown = *cap ? *cap * 2 : 1024;
            Py_ssize_t *bigger = PyMem_RawRealloc(*out, (size_t)grown * sizeof(Py_ssize_t));
            if (bigger == NULL) {
                Py_DECREF(it);
                PyErr_NoMemory();
                return -1;
            }
            *out = bigger;
            *cap = grown;
        }
        (*out)[(*len)++] = v;
    }
    Py_DECREF(it);
    return PyErr_Occurred() ? -1 : 0;
}

/* A list of Python floats as a C array (NULL with an exception set on failure). */
static double *
float_array(PyObject *list, const char *name)
{
    Py_ssize_t n = PyList_GET_SIZE(list);
    double *out = PyMem_RawMalloc((size_t)(n ? n : 1) * sizeof(double));
    if (out == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        out[i] = PyFloat_AsDouble(PyList_GET_ITEM(list, i));
        if (out[i] == -1.0 && PyErr_Occurred()) {
            PyErr_Format(PyExc_TypeError, "%s must hold floats", name);
            PyMem_RawFree(out);
            return NULL;
        }
    }
    return out;
}

static int
block_ids(PyObject *list, Py_ssize_t limit, Py_ssize_t *out, const char *name)
{
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++) {
        Py_ssize_t v = PyLong_AsSsize_t(PyList_GET_ITEM(list, i));
        if (v == -1 && PyErr_Occurred())
            return -1;
        if (v < 0 || v >= limit) {
            PyErr_Format(PyExc_IndexError, "%s: block id out of range", name);
            return -1;
        }
        out[i] = v;
    }
    return 0;
}

typedef struct {
    double sim;
    Py_ssize_t li, r;
} Found;

PyDoc_STRVAR(candidates_doc,
"candidates(left_sets, right_sets, lids, rids, rank, weights, left_mass, right_mass,\n"
"           cap, probe_words, keep) -> list[tuple[float, int, int]]\n\n"
"Candidate pairs (similarity, left id, right id); alignwords.candidates in C.");

static PyObject *
candidates(PyObject *self, PyObject *args)
{
    PyObject *left_sets, *right_sets, *lids_obj, *rids_obj, *rank, *weights_obj;
    PyObject *lmass_obj, *rmass_obj, *result = NULL;
    Py_ssize_t cap, probe, keep;
    Py_ssize_t nl, nr, nwords, nleft_blocks, nright_blocks;
    Py_ssize_t *lids = NULL, *rids = NULL, *rwords = NULL, *roff = NULL, *lwords = NULL;
    Py_ssize_t *loff = NULL, *probes = NULL, *touched = NULL, *stamp = NULL, *best = NULL;
    Py_ssize_t *posts = NULL, *wstart = NULL, *wfill = NULL, *mark = NULL;
    Py_ssize_t rlen = 0, rcap = 0, llen = 0, lcap = 0, nfound = 0;
    double *w = NULL, *lm = NULL, *rm = NULL, *acc = NULL, *buf = NULL, *partials = NULL;
    Found *found = NULL;
    int failed = 0;

    if (!PyArg_ParseTuple(args, "O!O!O!O!O!O!O!O!nnn:candidates", &PyList_Type, &left_sets,
                          &PyList_Type, &right_sets, &PyList_Type, &lids_obj, &PyList_Type,
                          &rids_obj, &PyDict_Type, &rank, &PyList_Type, &weights_obj,
                          &PyList_Type, &lmass_obj, &PyList_Type, &rmass_obj, &cap, &probe,
                          &keep))
        return NULL;
    nl = PyList_GET_SIZE(lids_obj);
    nr = PyList_GET_SIZE(rids_obj);
    nwords = PyList_GET_SIZE(weights_obj);
    nleft_blocks = PyList_GET_SIZE(left_sets);
    nright_blocks = PyList_GET_SIZE(right_sets);
    if (PyList_GET_SIZE(lmass_obj) != nleft_blocks || PyList_GET_SIZE(rmass_obj) != nright_blocks) {
        PyErr_SetString(PyExc_ValueError, "one mass per block");
        return NULL;
    }
    if (probe < 0 || keep < 0) {
        PyErr_SetString(PyExc_ValueError, "probe_words and keep must be >= 0");
        return NULL;
    }

    lids = PyMem_RawMalloc((size_t)(nl + 1) * sizeof(Py_ssize_t));
    rids = PyMem_RawMalloc((size_t)(nr + 1) * sizeof(Py_ssize_t));
    roff = PyMem_RawMalloc((size_t)(nr + 1) * sizeof(Py_ssize_t));
    loff = PyMem_RawMalloc((size_t)(nl + 1) * sizeof(Py_ssize_t));
    if (!lids || !rids || !roff || !loff) {
        PyErr_NoMemory();
        goto done;
    }
    if (block_ids(lids_obj, nleft_blocks, lids, "lids") < 0 ||
        block_ids(rids_obj, nright_blocks, rids, "rids") < 0)
        goto done;
    if (!(w = float_array(weights_obj, "weights")) || !(lm = float_array(lmass_obj, "left_mass")) ||
        !(rm = float_array(rmass_obj, "right_mass")))
        goto done;

    /* Word ranks of every block involved, in flat arrays with offsets. */
    for (Py_ssize_t k = 0; k < nr; k++) {
        roff[k] = rlen;
        if (set_ranks(PyList_GET_ITEM(right_sets, rids[k]), rank, nwords, &rwords, &rlen,
                      &rcap) < 0)
            goto done;
    }
    roff[nr] = rlen;
    for (Py_ssize_t k = 0; k < nl; k++) {
        loff[k] = llen;
        if (set_ranks(PyList_GET_ITEM(left_sets, lids[k]), rank, nwords, &lwords, &llen,
                      &lcap) < 0)
            goto done;
    }
    loff[nl] = llen;

    posts = PyMem_RawMalloc((size_t)(rlen + 1) * sizeof(Py_ssize_t));
    wstart = PyMem_RawCalloc((size_t)nwords + 2, sizeof(Py_ssize_t));
    wfill = PyMem_RawCalloc((size_t)nwords + 1, sizeof(Py_ssize_t));
    mark = PyMem_RawCalloc((size_t)nwords + 1, sizeof(Py_ssize_t));
    acc = PyMem_RawMalloc((size_t)(nr + 1) * sizeof(double));
    stamp = PyMem_RawMalloc((size_t)(nr + 1) * sizeof(Py_ssize_t));
    touched = PyMem_RawMalloc((size_t)(nr + 1) * sizeof(Py_ssize_t));
    best = PyMem_RawMalloc((size_t)(keep + 1) * sizeof(Py_ssize_t));
    probes = PyMem_RawMalloc((size_t)(probe + 1) * sizeof(Py_ssize_t));
    buf = PyMem_RawMalloc((size_t)(llen + 1) * sizeof(double));
    partials = PyMem_RawMalloc((size_t)(llen + 2) * sizeof(double));
    found = PyMem_RawMalloc((size_t)(nl * keep + 1) * sizeof(Found));
    if (!posts || !wstart || !wfill || !mark || !acc || !stamp || !touched || !best || !probes ||
        !buf || !partials || !found) {
        PyErr_NoMemory();
        goto done;
    }

    Py_BEGIN_ALLOW_THREADS
    /* The inverted index, by counting sort: the postings of word v are
     * posts[wstart[v] .. wstart[v + 1]], in the order of rids. */
    for (Py_ssize_t e = 0; e < rlen; e++)
        wstart[rwords[e] + 1]++;
    for (Py_ssize_t v = 0; v < nwords; v++)
        wstart[v + 1] += wstart[v];
    for (Py_ssize_t k = 0; k < nr; k++)
        for (Py_ssize_t e = roff[k]; e < roff[k + 1]; e++)
            posts[wfill[rwords[e]]++ + wstart[rwords[e]]] = k;
    for (Py_ssize_t k = 0; k < nr; k++)
        stamp[k] = -1;
    for (Py_ssize_t x = 0; x < nl; x++) {
        Py_ssize_t *words = lwords + loff[x], nw = loff[x + 1] - loff[x];
        Py_ssize_t li = lids[x], ntouched = 0, nbest = 0, nprobe, nposts = 0;
        qsort(words, (size_t)nw, sizeof(Py_ssize_t), cmp_ssize); /* rarest first */
        nprobe = nw < probe ? nw : probe;
        for (Py_ssize_t p = 0; p < nprobe; p++) {
            Py_ssize_t v = words[p], first = wstart[v], last = wstart[v + 1];
            if (last > first && last - first <= cap) {
                probes[nposts++] = v;
                for (Py_ssize_t e = first; e < last; e++) {
                    Py_ssize_t k = posts[e];
                    if (stamp[k] != x) {
                        stamp[k] = x;
                        acc[k] = 0.0;
                        touched[ntouched++] = k;
                    }
                }
            }
        }
        /* sums in the order of the probe words, as the Python loop adds them */
        for (Py_ssize_t p = 0; p < nposts; p++) {
            Py_ssize_t v = probes[p];
            double weight = w[v];
            for (Py_ssize_t e = wstart[v]; e < wstart[v + 1]; e++)
                acc[posts[e]] += weight;
        }
        /* the best few, ties in order of first touch (a stable descending sort) */
        for (Py_ssize_t t = 0; t < ntouched; t++) {
            Py_ssize_t k = touched[t], pos = nbest;
            while (pos > 0 && acc[best[pos - 1]] < acc[k])
                pos--;
            if (pos >= keep)
                continue;
            if (nbest < keep)
                nbest++;
            memmove(best + pos + 1, best + pos, (size_t)(nbest - 1 - pos) * sizeof(Py_ssize_t));
            best[pos] = k;
        }
        if (nbest == 0)
            continue;
        for (Py_ssize_t e = 0; e < nw; e++)
            mark[words[e]] = x + 1;
        for (Py_ssize_t b = 0; b < nbest; b++) {
            Py_ssize_t k = best[b], r = rids[k], nshared = 0;
            double total = lm[li] + rm[r], shared;
            for (Py_ssize_t e = roff[k]; e < roff[k + 1]; e++)
                if (mark[rwords[e]] == x + 1)
                    buf[nshared++] = w[rwords[e]];
            shared = fsum_exact(buf, nshared, partials);
            if (total != 0.0 && shared != 0.0) {
                found[nfound].sim = 2 * shared / total;
                found[nfound].li = li;
                found[nfound].r = r;
                nfound++;
            }
        }
    }
    Py_END_ALLOW_THREADS

    result = PyList_New(nfound);
    if (result == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < nfound; i++) {
        PyObject *item = Py_BuildValue("(dnn)", found[i].sim, found[i].li, found[i].r);
        if (item == NULL) {
            failed = 1;
            break;
        }
        PyList_SET_ITEM(result, i, item);
    }
    if (failed)
        Py_CLEAR(result);

done:
    PyMem_RawFree(lids);
    PyMem_RawFree(rids);
    PyMem_RawFree(roff);
    PyMem_RawFree(loff);
    PyMem_RawFree(rwords);
    PyMem_RawFree(lwords);
    PyMem_RawFree(w);
    PyMem_RawFree(lm);
    PyMem_RawFree(rm);
    PyMem_RawFree(posts);
    PyMem_RawFree(wstart);
    PyMem_RawFree(wfill);
    PyMem_RawFree(mark);
    PyMem_RawFree(acc);
    PyMem_RawFree(stamp);
    PyMem_RawFree(touched);
    PyMem_RawFree(best);
    PyMem_RawFree(probes);
    PyMem_RawFree(buf);
    PyMem_RawFree(partials);
    PyMem_RawFree(found);
    return result;
}

static PyMethodDef methods[] = {
    {"candidates", candidates, METH_VARARGS, candidates_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_native", "Native inner loops of alignment (optional).", -1, methods,
};

PyMODINIT_FUNC
PyInit__native(void)
{
    return PyModule_Create(&module);
}
