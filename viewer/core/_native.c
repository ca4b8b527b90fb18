/* The optional C extension viewer.core._native: the inner loops of a comparison, each
 * the twin of a Python function that stays the reference (tests/core/test_native*.py
 * check they agree). This file: the module, alignment's candidate search, the word
 * diff's tokenising and span mapping, word counts of spans; _features.c: alignment's
 * word sets, weights and masses; _chunks.c: the detector's chunk coding; _build.c: model
 * objects made in C and the JSON writer; _groups.c: the segments and changes of the
 * aligned groups; _strtable.c: the table of str keys they share.
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
#include "_native.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Exactly rounded sum of n doubles, with the algorithm of CPython's math.fsum
 * (Shewchuk's non-overlapping partials, then half-even correction). partials must
 * hold at least n + 1 doubles. */
double
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

/* The ranks of the words of a set, written to out (room for that many); their count. */
static Py_ssize_t
set_ranks(PyObject *set, PyObject *rank, Py_ssize_t nwords, Py_ssize_t *out, Py_ssize_t room)
{
    PyObject *it = PyObject_GetIter(set), *word;
    Py_ssize_t n = 0;
    if (it == NULL)
        return -1;
    while ((word = PyIter_Next(it)) != NULL) {
        PyObject *r = PyDict_GetItemWithError(rank, word);
        Py_ssize_t v = -1;
        if (r == NULL && !PyErr_Occurred())
            PyErr_SetObject(PyExc_KeyError, word);
        Py_DECREF(word);
        if (r != NULL && (v = PyLong_AsSsize_t(r)) != -1 && (v < 0 || v >= nwords))
            PyErr_SetString(PyExc_ValueError, "word rank out of range");
        if (!PyErr_Occurred() && n == room)
            PyErr_SetString(PyExc_RuntimeError, "a word set grew while it was read");
        if (PyErr_Occurred())
            break;
        out[n++] = v;
    }
    Py_DECREF(it);
    return PyErr_Occurred() ? -1 : n;
}

/* The word ranks of the sets named by ids (n of them) in one flat array: those of set
 * sets[ids[k]] are (*words)[off[k] .. off[k + 1]]. off needs n + 1 entries. */
static int
flatten(PyObject *sets, const Py_ssize_t *ids, Py_ssize_t n, PyObject *rank,
        Py_ssize_t nwords, Py_ssize_t **words, Py_ssize_t *off)
{
    Py_ssize_t total = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        Py_ssize_t size = PyObject_Size(PyList_GET_ITEM(sets, ids[k]));
        if (size < 0)
            return -1;
        total += size;
    }
    *words = PyMem_RawMalloc((size_t)(total + 1) * sizeof(Py_ssize_t));
    if (*words == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    off[0] = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        Py_ssize_t got = set_ranks(PyList_GET_ITEM(sets, ids[k]), rank, nwords, *words + off[k],
                                   total - off[k]);
        if (got < 0)
            return -1;
        off[k + 1] = off[k] + got;
    }
    return 0;
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
    (void)self;
    PyObject *left_sets, *right_sets, *lids_obj, *rids_obj, *rank, *weights_obj;
    PyObject *lmass_obj, *rmass_obj, *result = NULL;
    Py_ssize_t cap, probe, keep;
    Py_ssize_t nl, nr, nwords, nleft_blocks, nright_blocks;
    Py_ssize_t *lids = NULL, *rids = NULL, *rwords = NULL, *roff = NULL, *lwords = NULL;
    Py_ssize_t *loff = NULL, *probes = NULL, *touched = NULL, *stamp = NULL, *best = NULL;
    Py_ssize_t *posts = NULL, *wstart = NULL, *wfill = NULL, *mark = NULL;
    Py_ssize_t rlen, llen, nfound = 0;
    double *w = NULL, *lm = NULL, *rm = NULL, *acc = NULL, *buf = NULL, *partials = NULL;
    Found *found = NULL;

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
    if (flatten(right_sets, rids, nr, rank, nwords, &rwords, roff) < 0 ||
        flatten(left_sets, lids, nl, rank, nwords, &lwords, loff) < 0)
        goto done;
    rlen = roff[nr];
    llen = loff[nl];

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
            Py_CLEAR(result);
            break;
        }
        PyList_SET_ITEM(result, i, item);
    }

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

/* ---- Word diff: tokens, their private characters, and ops mapped back to offsets ----
 *
 * tokens.py defines a token: a run of word characters (\w outside the scripts without
 * spaces, plus combining marks and joiners), one character of a script without spaces,
 * a whitespace run, or any other single character. worddiff.py gives every distinct
 * non-space token a character of tokens.CODE_RANGES in order of first appearance (left,
 * then right), every whitespace run a space, diffs those strings with diff-match-patch and
 * maps its ops back to code-point spans. word_diff() does the same in one pass; the class
 * and code ranges come from tokens.py through configure(), never written twice.
 */

static long *nospace_bounds = NULL, *mark_bounds = NULL, *code_bounds = NULL;
static Py_ssize_t n_nospace = 0, n_mark = 0, n_code = 0;
static long lowest_special = 0; /* no character below it is of a script or a mark */

enum { C_OTHER, C_WORD, C_MARK, C_NOSPACE, C_SPACE };

static int
in_bounds(const long *bounds, Py_ssize_t n, Py_UCS4 c)
{
    /* bisect_right(bounds, c) % 2: inside one of the [first, last + 1) ranges */
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if ((long)c < bounds[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return (int)(lo % 2);
}

int
is_nospace(Py_UCS4 c)
{
    return (long)c >= lowest_special && in_bounds(nospace_bounds, n_nospace, c);
}

/* 1 once configure() has given the token classes, else 0 with RuntimeError set. */
static int
configured(void)
{
    if (code_bounds != NULL)
        return 1;
    PyErr_SetString(PyExc_RuntimeError, "_native.configure() was not called");
    return 0;
}

static unsigned char ascii_kind[128];  /* char_kind of ASCII, set by configure() */

static int
char_kind_of(Py_UCS4 c)
{
    if ((long)c >= lowest_special) {
        if (in_bounds(nospace_bounds, n_nospace, c))
            return C_NOSPACE;
        if (in_bounds(mark_bounds, n_mark, c))
            return C_MARK;
    }
    if (fast_isalnum(c) || c == '_')
        return C_WORD;
    if (Py_UNICODE_ISSPACE(c))
        return C_SPACE;
    return C_OTHER;
}

/* The token class of a character: C_WORD, C_MARK, C_NOSPACE, C_SPACE or C_OTHER. */
static inline int
char_kind(Py_UCS4 c)
{
    return c < 128 ? ascii_kind[c] : char_kind_of(c);
}

static long *
bounds_from(PyObject *seq, Py_ssize_t *n)
{
    PyObject *fast = PySequence_Fast(seq, "bounds must be a sequence of ints");
    long *out;
    if (fast == NULL)
        return NULL;
    *n = PySequence_Fast_GET_SIZE(fast);
    out = PyMem_RawMalloc((size_t)(*n + 1) * sizeof(long));
    if (out == NULL) {
        Py_DECREF(fast);
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < *n; i++) {
        out[i] = PyLong_AsLong(PySequence_Fast_GET_ITEM(fast, i));
        if (out[i] == -1 && PyErr_Occurred()) {
            PyMem_RawFree(out);
            Py_DECREF(fast);
            return NULL;
        }
    }
    Py_DECREF(fast);
    return out;
}

PyDoc_STRVAR(configure_doc,
"configure(nospace_bounds, mark_bounds, code_bounds)\n\n"
"The character classes and token codes of tokens.py, as sorted [first, last + 1, ...] bounds.");

static PyObject *
configure(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *seqs[3];
    long *bounds[3] = {NULL, NULL, NULL};
    Py_ssize_t sizes[3];
    if (!PyArg_ParseTuple(args, "OOO:configure", &seqs[0], &seqs[1], &seqs[2]))
        return NULL;
    for (int i = 0; i < 3; i++)
        if (!(bounds[i] = bounds_from(seqs[i], &sizes[i])) || sizes[i] % 2 || !sizes[i]) {
            if (bounds[i] != NULL)
                PyErr_SetString(PyExc_ValueError, "bounds come in (first, last + 1) pairs");
            for (int j = 0; j <= i; j++)
                PyMem_RawFree(bounds[j]);
            return NULL;
        }
    PyMem_RawFree(nospace_bounds);
    PyMem_RawFree(mark_bounds);
    PyMem_RawFree(code_bounds);
    nospace_bounds = bounds[0];
    mark_bounds = bounds[1];
    code_bounds = bounds[2];
    n_nospace = sizes[0];
    n_mark = sizes[1];
    n_code = sizes[2];
    lowest_special = nospace_bounds[0] < mark_bounds[0] ? nospace_bounds[0] : mark_bounds[0];
    for (Py_UCS4 c = 0; c < 128; c++)
        ascii_kind[c] = (unsigned char)char_kind_of(c);
    Py_RETURN_NONE;
}

/* Token start offsets of text (n code points) into starts; returns the token count.
 * starts needs n + 1 entries; starts[count] = n. */
static Py_ssize_t
token_starts(const Py_UCS4 *text, Py_ssize_t n, Py_ssize_t *starts, unsigned char *space)
{
    Py_ssize_t i = 0, count = 0;
    while (i < n) {
        int k = char_kind(text[i]);
        starts[count] = i;
        space[count] = (k == C_SPACE);
        count++;
        i++;
        if (k == C_WORD || k == C_MARK) {
            while (i < n && ((k = char_kind(text[i])) == C_WORD || k == C_MARK))
                i++;
        } else if (k == C_SPACE) {
            while (i < n && char_kind(text[i]) == C_SPACE)
                i++;
        }
    }
    starts[count] = n;
    return count;
}

/* The character standing for the n-th distinct token (0: none left). */
static Py_UCS4
token_code(Py_ssize_t n)
{
    for (Py_ssize_t r = 0; r < n_code; r += 2) {
        Py_ssize_t size = code_bounds[r + 1] - code_bounds[r];
        if (n < size)
            return (Py_UCS4)(code_bounds[r] + n);
        n -= size;
    }
    return 0;
}

typedef struct {
    const Py_UCS4 *text; /* NULL: empty slot */
    Py_ssize_t len;
    Py_UCS4 code;
    size_t hash;
} Slot;

/* The private characters of one side's tokens, assigning new codes as they appear. */
static int
encode_side(const Py_UCS4 *text, const Py_ssize_t *starts, const unsigned char *space,
            Py_ssize_t count, Slot *table, size_t mask, Py_ssize_t *assigned, Py_UCS4 *out)
{
    for (Py_ssize_t t = 0; t < count; t++) {
        const Py_UCS4 *tok = text + starts[t];
        Py_ssize_t len = starts[t + 1] - starts[t];
        size_t h;
        size_t at;
        if (space[t]) {
            out[t] = ' ';
            continue;
        }
        h = str_hash(PyUnicode_4BYTE_KIND, tok, 0, len);
        at = h & mask;
        while (table[at].text != NULL &&
               !(table[at].hash == h && table[at].len == len &&
                 memcmp(table[at].text, tok, (size_t)len * sizeof(Py_UCS4)) == 0))
            at = (at + 1) & mask;
        if (table[at].text == NULL) {
            Py_UCS4 code = token_code(*assigned);
            if (code == 0)
                return -1;
            (*assigned)++;
            table[at].text = tok;
            table[at].len = len;
            table[at].hash = h;
            table[at].code = code;
        }
        out[t] = table[at].code;
    }
    return 0;
}

/* the op kinds (interned at module init; _groups.c reads them too) */
PyObject *s_equal, *s_insert, *s_delete, *s_replace;

typedef struct {
    PyObject *kind;  /* borrowed: s_equal, s_insert, s_delete or s_replace */
    Py_ssize_t l0, l1, r0, r1;
} Span;

static int
all_space(const Py_UCS4 *text, Py_ssize_t start, Py_ssize_t end)
{
    for (Py_ssize_t k = start; k < end; k++)
        if (!Py_UNICODE_ISSPACE(text[k]))
            return 0;
    return 1;
}

/* Appends an op as worddiff._neutralise leaves it: a change of whitespace only is an
 * equality, and an equality right after another one joins it. */
static void
push_span(Span *spans, Py_ssize_t *n, PyObject *kind, Py_ssize_t l0, Py_ssize_t l1,
          Py_ssize_t r0, Py_ssize_t r1, const Py_UCS4 *lt, const Py_UCS4 *rt)
{
    if (kind != s_equal && all_space(lt, l0, l1) && all_space(rt, r0, r1))
        kind = s_equal;
    if (kind == s_equal && *n > 0 && spans[*n - 1].kind == s_equal) {
        spans[*n - 1].l1 = l1;
        spans[*n - 1].r1 = r1;
        return;
    }
    spans[(*n)++] = (Span){kind, l0, l1, r0, r1};
}

/* Each run of deletes and inserts between equalities becomes one op (_pair_ops). */
static PyObject *
run_kind(Py_ssize_t i0, Py_ssize_t i, Py_ssize_t j0, Py_ssize_t j)
{
    return (i > i0 && j > j0) ? s_replace : (i > i0) ? s_delete : s_insert;
}

/* The (op, tokens) pairs of diff-match-patch as spans of code points (_pair_ops), with
 * changes of whitespace only made equal (_neutralise): lo and ro are the token starts of
 * each side, nl and nr their token counts, lt and rt their texts. */
static PyObject *
spans_of_ops(PyObject *ops, const Py_ssize_t *lo, Py_ssize_t nl, const Py_ssize_t *ro,
             Py_ssize_t nr, const Py_UCS4 *lt, const Py_UCS4 *rt)
{
    PyObject *fast = PySequence_Fast(ops, "dmp must return a sequence"), *out = NULL;
    Py_ssize_t i = 0, j = 0, i0 = -1, j0 = -1; /* tokens consumed; where a run began */
    Py_ssize_t count = 0;
    Span *spans;
    if (fast == NULL)
        return NULL;
    spans = PyMem_RawMalloc((size_t)(PySequence_Fast_GET_SIZE(fast) + 1) * sizeof(Span));
    if (spans == NULL) {
        Py_DECREF(fast);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(fast); k++) {
        PyObject *item = PySequence_Fast_GET_ITEM(fast, k), *sign;
        Py_ssize_t n;
        Py_UCS4 op;
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 2 ||
            !PyUnicode_Check(sign = PyTuple_GET_ITEM(item, 0)) || PyUnicode_GET_LENGTH(sign) != 1) {
            PyErr_SetString(PyExc_TypeError, "dmp must return (op, length) pairs");
            goto done;
        }
        op = PyUnicode_READ_CHAR(sign, 0);
        n = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 1));
        if (n == -1 && PyErr_Occurred())
            goto done;
        if (n < 0 || (op != '+' && i + n > nl) || (op != '-' && j + n > nr)) {
            PyErr_SetString(PyExc_ValueError, "dmp ops do not tile the texts");
            goto done;
        }
        if (op != '=') {
            if (i0 < 0) {
                i0 = i;
                j0 = j;
            }
            *(op == '-' ? &i : &j) += n;
            continue;
        }
        if (i0 >= 0)
            push_span(spans, &count, run_kind(i0, i, j0, j), lo[i0], lo[i], ro[j0], ro[j], lt, rt);
        i0 = -1;
        push_span(spans, &count, s_equal, lo[i], lo[i + n], ro[j], ro[j + n], lt, rt);
        i += n;
        j += n;
    }
    if (i0 >= 0)
        push_span(spans, &count, run_kind(i0, i, j0, j), lo[i0], lo[i], ro[j0], ro[j], lt, rt);
    if (!(out = PyList_New(count)))
        goto done;
    for (Py_ssize_t k = 0; k < count; k++) {
        const Span *sp = &spans[k];
        PyObject *op = Py_BuildValue("(Onnnn)", sp->kind, sp->l0, sp->l1, sp->r0, sp->r1);
        if (op == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, k, op);
    }
done:
    PyMem_RawFree(spans);
    Py_DECREF(fast);
    return out;
}

PyDoc_STRVAR(word_diff_doc,
"word_diff(left, right, dmp) -> list[tuple[str, int, int, int, int]]\n\n"
"worddiff's tokens, encoding and op spans in one pass, for options that keep tokens as\n"
"they are (no case or typography folding), with changes of whitespace only made equal\n"
"(worddiff._neutralise without its punctuation rule). dmp(a, b) diffs the encoded\n"
"strings and returns (op, length) pairs with op '=', '-' or '+'.");

static PyObject *
word_diff(PyObject *self, PyObject *args)
{
    PyObject *left, *right, *dmp;
    (void)self;
    if (!PyArg_ParseTuple(args, "UUO:word_diff", &left, &right, &dmp))
        return NULL;
    return word_diff_of(left, right, dmp);
}

PyObject *
word_diff_of(PyObject *left, PyObject *right, PyObject *dmp)
{
    PyObject *a = NULL, *b = NULL, *ops = NULL, *out = NULL;
    Py_UCS4 *lt = NULL, *rt = NULL, *la = NULL, *rb = NULL;
    Py_ssize_t *ls = NULL, *rs = NULL, nl, nr, cl, cr, assigned = 0;
    unsigned char *lsp = NULL, *rsp = NULL;
    Slot *table = NULL;
    size_t size = 16;

    if (!configured())
        return NULL;
    nl = PyUnicode_GET_LENGTH(left);
    nr = PyUnicode_GET_LENGTH(right);
    lt = PyUnicode_AsUCS4Copy(left);
    rt = PyUnicode_AsUCS4Copy(right);
    if (lt == NULL || rt == NULL)
        goto done;
    ls = PyMem_RawMalloc((size_t)(nl + 1) * sizeof(Py_ssize_t));
    rs = PyMem_RawMalloc((size_t)(nr + 1) * sizeof(Py_ssize_t));
    lsp = PyMem_RawMalloc((size_t)(nl + 1));
    rsp = PyMem_RawMalloc((size_t)(nr + 1));
    la = PyMem_RawMalloc((size_t)(nl + 1) * sizeof(Py_UCS4));
    rb = PyMem_RawMalloc((size_t)(nr + 1) * sizeof(Py_UCS4));
    while (size < (size_t)(nl + nr + 1) * 2)
        size *= 2;
    table = PyMem_RawCalloc(size, sizeof(Slot));
    if (!ls || !rs || !lsp || !rsp || !la || !rb || !table) {
        PyErr_NoMemory();
        goto done;
    }
    cl = token_starts(lt, nl, ls, lsp);
    cr = token_starts(rt, nr, rs, rsp);
    if (encode_side(lt, ls, lsp, cl, table, size - 1, &assigned, la) < 0 ||
        encode_side(rt, rs, rsp, cr, table, size - 1, &assigned, rb) < 0) {
        PyErr_SetString(PyExc_OverflowError, "more distinct tokens than characters to encode them");
        goto done;
    }
    a = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, la, cl);
    b = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, rb, cr);
    if (a == NULL || b == NULL)
        goto done;
    ops = PyObject_CallFunctionObjArgs(dmp, a, b, NULL);
    if (ops == NULL)
        goto done;
    out = spans_of_ops(ops, ls, cl, rs, cr, lt, rt);
done:
    Py_XDECREF(a);
    Py_XDECREF(b);
    Py_XDECREF(ops);
    PyMem_Free(lt);
    PyMem_Free(rt);
    PyMem_RawFree(ls);
    PyMem_RawFree(rs);
    PyMem_RawFree(lsp);
    PyMem_RawFree(rsp);
    PyMem_RawFree(la);
    PyMem_RawFree(rb);
    PyMem_RawFree(table);
    return out;
}

PyDoc_STRVAR(word_classes_doc,
"word_classes(text, prefixed=False) -> str\n\n"
"tokens.word_classes: one class character per character of text, 'a' inside a word\n"
"(marks and joiners too), 'n' a word of its own (a script without spaces), ' ' else.\n"
"prefixed: ' ' first (what tokens.WordCounter reads), without a copy of the result.");

/* The word class of each kind, in the order of the C_ kinds */
static const char class_of_kind[] = {' ', 'a', 'a', 'n', ' '};

static PyObject *
word_classes(PyObject *self, PyObject *args)
{
    PyObject *out, *arg;
    Py_UCS1 *dst;
    int kind, prefixed = 0;
    const void *data;
    Py_ssize_t n;
    (void)self;
    if (!PyArg_ParseTuple(args, "U|p:word_classes", &arg, &prefixed))
        return NULL;
    if (!configured())
        return NULL;
    n = PyUnicode_GET_LENGTH(arg);
    kind = PyUnicode_KIND(arg);
    data = PyUnicode_DATA(arg);
    if (!(out = PyUnicode_New(n + prefixed, 127)))
        return NULL;
    dst = PyUnicode_1BYTE_DATA(out);
    if (prefixed)
        *dst++ = ' ';
    for (Py_ssize_t i = 0; i < n; i++)
        dst[i] = (Py_UCS1)class_of_kind[char_kind(PyUnicode_READ(kind, data, i))];
    return out;
}

/* The words of text[start:end] from ' ' + the text's word classes (data), as
 * tokens.WordCounter.count: " a" pairs in classes[start:end + 1], one more if the span
 * starts inside a word; in scripts without spaces "na" pairs and every "n" after the
 * first position. The span lies within the text. */
Py_ssize_t
span_word_count(int kind, const void *data, Py_ssize_t start, Py_ssize_t end, int nospace)
{
    Py_ssize_t n = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i), d = PyUnicode_READ(kind, data, i + 1);
        if (c == ' ' && d == 'a')
            n++;
        else if (nospace && c == 'n' && d == 'a')
            n++;
        if (nospace && d == 'n')
            n++;
    }
    if (end > start && PyUnicode_READ(kind, data, start) == 'a' &&
        PyUnicode_READ(kind, data, start + 1) == 'a')
        n++;
    return n;
}

/* A span (start, end) within a text of size - 1 characters (its word classes: size):
 * -1 with TypeError when it is not a pair of ints, ValueError when a non-empty span lies
 * outside the text. */
int
span_of(PyObject *span, Py_ssize_t size, Py_ssize_t *start, Py_ssize_t *end)
{
    if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) != 2) {
        PyErr_SetString(PyExc_TypeError, "a span is a (start, end) tuple");
        return -1;
    }
    *start = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 0));
    *end = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 1));
    if ((*start == -1 || *end == -1) && PyErr_Occurred())
        return -1;
    if (*end > *start && (*start < 0 || *end >= size)) {
        PyErr_SetString(PyExc_ValueError, "a span outside the text");
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(span_words_doc,
"span_words(classes, spans, nospace)\n\n"
"tokens.WordCounter.counts: the words of each (start, end) span of a text, from\n"
"' ' + the text's word classes; spans lie within the text.");

static PyObject *
span_words(PyObject *self, PyObject *args)
{
    PyObject *classes, *spans, *fast, *out = NULL;
    int nospace, kind;
    const void *data;
    Py_ssize_t size;
    (void)self;
    if (!PyArg_ParseTuple(args, "UOp:span_words", &classes, &spans, &nospace))
        return NULL;
    if (!(fast = PySequence_Fast(spans, "spans: a sequence of (start, end)")))
        return NULL;
    kind = PyUnicode_KIND(classes);
    data = PyUnicode_DATA(classes);
    size = PyUnicode_GET_LENGTH(classes);  /* the text's length + 1 */
    if (!(out = PyList_New(PySequence_Fast_GET_SIZE(fast))))
        goto done;
    for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(fast); k++) {
        Py_ssize_t start, end, n = 0;
        PyObject *count;
        if (span_of(PySequence_Fast_GET_ITEM(fast, k), size, &start, &end) < 0)
            goto fail;
        n = span_word_count(kind, data, start, end, nospace);
        if (!(count = PyLong_FromSsize_t(n)))
            goto fail;
        PyList_SET_ITEM(out, k, count);
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    Py_DECREF(fast);
    return out;
}

/* The tests below are branch-free (bitwise operators, unsigned ranges) so that the
 * compiler can test a block of characters at once; tests/core/test_native.py checks
 * each against Python's own definition on every code point. */
static inline int
is_dropped_control(Py_UCS4 c)
{
    /* loading._C0_CONTROL: [\x00-\x08\x0e-\x1f\x7f] is dropped */
    return (c <= 0x08) | (c - 0x0e <= 0x1f - 0x0e) | (c == 0x7f);
}

static inline int
is_odd_space(Py_UCS4 c)
{
    /* loading._ODD_SPACE: what str.isspace calls whitespace (Unicode 14) other than
     * ' ', '\n' and the no-break spaces U+00A0, U+2007 and U+202F */
    return ((c - 0x09 <= 0x0d - 0x09) & (c != '\n')) | (c - 0x1c <= 0x1f - 0x1c) | (c == 0x85) |
           (c == 0x1680) | ((c - 0x2000 <= 0x200a - 0x2000) & (c != 0x2007)) |
           (c - 0x2028 <= 1) | (c == 0x205f) | (c == 0x3000);
}

static inline int
is_nbsp_or_space(Py_UCS4 c)
{
    /* loading._SPACE_RUN's class: the space and the no-break spaces */
    return (c == ' ') | (c == 0xa0) | (c == 0x202f) | (c == 0x2007);
}

/* Ranges [first, last] of characters that are NFC, have no combining class and are not
 * the second character of any composition, so a text of only these is NFC: Latin to
 * U+02FF, Cyrillic but its combining marks, punctuation, super- and subscripts and
 * currency signs, letterlike signs, arrows, mathematical and technical signs, dingbats
 * and other symbols, CJK ideographs, Hangul syllables, emoji. (tests/core/test_native.py
 * checks each against unicodedata.) Any other character: ask unicodedata. */
static const Py_UCS4 nfc_sure_ranges[][2] = {
    {0x0000, 0x02ff}, {0x0400, 0x0482}, {0x048a, 0x052f}, {0x2002, 0x20cf},
    {0x2100, 0x2125}, {0x2127, 0x2129}, {0x212c, 0x2328}, {0x232b, 0x2adb},
    {0x2add, 0x2bff}, {0x4e00, 0x9fff}, {0xac00, 0xd7a3}, {0x1f000, 0x1faff},
};

static inline int
is_nfc_unsure(Py_UCS4 c)
{
    int sure = 0;
    for (size_t k = 0; k < sizeof nfc_sure_ranges / sizeof nfc_sure_ranges[0]; k++)
        sure |= c - nfc_sure_ranges[k][0] <= nfc_sure_ranges[k][1] - nfc_sure_ranges[k][0];
    return !sure;
}

static inline int
is_unprintable(Py_UCS4 c)
{
    /* str.isprintable, a newline allowed */
    if (c < 128)
        return (c < 0x20 && c != '\n') || c == 0x7f;
    return !Py_UNICODE_ISPRINTABLE(c);
}

/* The index of the first character for which TEST holds, or -1: one loop per storage
 * width with the tests inlined, as most texts need nothing more than this scan. Blocks
 * of characters are first tested at once with MAYBE, a cheaper test that holds at
 * least wherever TEST does; TEST only looks inside blocks where it holds. */
#define SCAN_FIRST(TYPE, MAYBE, TEST)                                                      \
    do {                                                                                   \
        const TYPE *s = data;                                                              \
        Py_ssize_t i = 0;                                                                  \
        for (; i + 32 <= n; i += 32) {                                                     \
            int any = 0;                                                                   \
            for (int j = 0; j < 32; j++)                                                   \
                any |= MAYBE(s[i + j]);                                                    \
            if (any)                                                                       \
                for (Py_ssize_t k = i; k < i + 32; k++)                                    \
                    if (TEST(k))                                                           \
                        return k;                                                          \
        }                                                                                  \
        for (; i < n; i++)                                                                 \
            if (TEST(i))                                                                   \
                return i;                                                                  \
        return -1;                                                                         \
    } while (0)

#define DEFINE_FIRST(NAME, MAYBE, TEST)                                                    \
    static Py_ssize_t NAME(int kind, const void *data, Py_ssize_t n)                      \
    {                                                                                      \
        if (kind == PyUnicode_1BYTE_KIND)                                                  \
            SCAN_FIRST(Py_UCS1, MAYBE, TEST);                                              \
        else if (kind == PyUnicode_2BYTE_KIND)                                             \
            SCAN_FIRST(Py_UCS2, MAYBE, TEST);                                              \
        else                                                                               \
            SCAN_FIRST(Py_UCS4, MAYBE, TEST);                                              \
    }

static inline int
maybe_unprintable(Py_UCS4 c)
{
    return (c < 0x20) | (c >= 0x7f);
}

static inline int
maybe_nfc_unsure(Py_UCS4 c)
{
    return c >= 0x300;
}

#define CONTROL_AT(k) is_dropped_control(s[k])
#define UNPRINTABLE_AT(k) is_unprintable(s[k])
#define NFC_UNSURE_AT(k) is_nfc_unsure(s[k])
DEFINE_FIRST(first_control, is_dropped_control, CONTROL_AT)
DEFINE_FIRST(first_unprintable, maybe_unprintable, UNPRINTABLE_AT)
DEFINE_FIRST(first_nfc_unsure, maybe_nfc_unsure, NFC_UNSURE_AT)

PyDoc_STRVAR(lower_doc,
"lower(text) -> str\n\n"
"text.lower(), in one pass: each character's lower case is its simple mapping, except\n"
"for U+0130 (two characters) and U+03A3 (final sigma, by context), which str.lower\n"
"handles when the text has them.");

/* One storage width's loop of lower(): 0, or -1 when the text needs str.lower. */
#define LOWER_LOOP(TYPE)                                                                   \
    do {                                                                                   \
        const TYPE *src = data;                                                            \
        TYPE *dst = out;                                                                   \
        for (Py_ssize_t i = 0; i < n; i++) {                                               \
            Py_UCS4 c = src[i];                                                            \
            if (c < 128)                                                                   \
                dst[i] = (TYPE)(c - 'A' < 26 ? c + 32 : c);                                \
            else if (c == 0x130 || c == 0x3a3)                                             \
                return -1;                                                                 \
            else                                                                           \
                dst[i] = (TYPE)Py_UNICODE_TOLOWER(c);                                      \
        }                                                                                  \
        return 0;                                                                          \
    } while (0)

static int
lower_into(int kind, const void *data, void *out, Py_ssize_t n)
{
    /* a lower case is never wider than its character: the same storage holds it */
    BY_KIND(kind, LOWER_LOOP);
}

PyObject *
lower_str(PyObject *text)
{
    int kind;
    void *out;
    Py_ssize_t n;
    PyObject *result;
    kind = PyUnicode_KIND(text);
    n = PyUnicode_GET_LENGTH(text);
    if (!(out = PyMem_Malloc((size_t)(n ? n : 1) * (size_t)kind)))
        return PyErr_NoMemory();
    if (lower_into(kind, PyUnicode_DATA(text), out, n) < 0) {
        PyMem_Free(out);
        return PyObject_CallMethod(text, "lower", NULL);
    }
    /* (the narrowest storage the result needs: U+212A KELVIN SIGN becomes 'k') */
    result = PyUnicode_FromKindAndData(kind, out, n);
    PyMem_Free(out);
    return result;
}

static PyObject *
lower(PyObject *self, PyObject *text)
{
    (void)self;
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "lower() takes a str");
        return NULL;
    }
    return lower_str(text);
}

PyDoc_STRVAR(printable_doc,
"printable(text) -> bool\n\n"
"text.replace('\\n', ' ').isprintable(), without the copy: no control, format or\n"
"whitespace character but space and newline.");

/* True when first() finds no character of text (a str, else TypeError naming fn). */
static PyObject *
none_found(PyObject *text, Py_ssize_t (*first)(int, const void *, Py_ssize_t), const char *fn)
{
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "%s() takes a str", fn);
        return NULL;
    }
    return PyBool_FromLong(
        first(PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text)) < 0);
}

static PyObject *
printable(PyObject *self, PyObject *text)
{
    (void)self;
    return none_found(text, first_unprintable, "printable");
}

PyDoc_STRVAR(count_controls_doc,
"count_controls(text) -> int\n\n"
"len(loading._C0_CONTROL's matches in text): C0 controls but tab, newlines and\n"
"separators, and DEL; counted without copying the text.");

#define COUNT_CONTROLS(TYPE)                                                               \
    do {                                                                                   \
        const TYPE *s = data;                                                              \
        for (Py_ssize_t i = 0; i < n; i++)                                                 \
            found += is_dropped_control(s[i]);                                             \
    } while (0)

static PyObject *
count_controls(PyObject *self, PyObject *text)
{
    const void *data;
    Py_ssize_t n, found = 0;
    int kind;
    (void)self;
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "count_controls() takes a str");
        return NULL;
    }
    kind = PyUnicode_KIND(text);
    data = PyUnicode_DATA(text);
    n = PyUnicode_GET_LENGTH(text);
    BY_KIND(kind, COUNT_CONTROLS);
    return PyLong_FromSsize_t(found);
}

PyDoc_STRVAR(drop_controls_doc,
"drop_controls(text) -> (text, count)\n\n"
"loading._C0_CONTROL.subn('', text): C0 controls but tab, newlines and separators dropped.");

static PyObject *
drop_controls(PyObject *self, PyObject *args)
{
    PyObject *text, *result;
    int kind;
    const void *data;
    void *out;
    Py_ssize_t n, first, kept;
    (void)self;
    if (!PyArg_ParseTuple(args, "U:drop_controls", &text))
        return NULL;
    kind = PyUnicode_KIND(text);
    data = PyUnicode_DATA(text);
    n = PyUnicode_GET_LENGTH(text);
    if ((first = first_control(kind, data, n)) < 0)
        return Py_BuildValue("(On)", text, (Py_ssize_t)0);
    if (!(out = PyMem_Malloc((size_t)n * (size_t)kind)))
        return PyErr_NoMemory();
    memcpy(out, data, (size_t)first * (size_t)kind);
    kept = first;
    for (Py_ssize_t i = first; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (!is_dropped_control(c))
            PyUnicode_WRITE(kind, out, kept++, c);
    }
    result = PyUnicode_FromKindAndData(kind, out, kept);
    PyMem_Free(out);
    return result ? Py_BuildValue("(Nn)", result, n - kept) : NULL;
}

PyDoc_STRVAR(collapse_spaces_doc,
"collapse_spaces(text, odd) -> text\n\n"
"loading._collapse: with odd, whitespace other than ' ', '\\n' and the no-break spaces\n"
"becomes ' ' first; then every run of two or more spaces and no-break spaces becomes\n"
"one space. text itself when nothing changes.");

/* Where collapse_spaces first changes something in s[0:n], or -1. Spaces are common:
 * a block is tested at once with the exact test, pairs of neighbours included. */
#define SCAN_COLLAPSE(TYPE)                                                                \
    do {                                                                                   \
        const TYPE *s = data;                                                              \
        Py_ssize_t i = 0;                                                                  \
        for (; i + 33 <= n; i += 32) {                                                     \
            int any = 0;                                                                   \
            for (int j = 0; j < 32; j++)                                                   \
                any |= (odd & is_odd_space(s[i + j])) |                                    \
                       (is_nbsp_or_space(s[i + j]) & is_nbsp_or_space(s[i + j + 1]));      \
            if (any)                                                                       \
                break;                                                                     \
        }                                                                                  \
        for (; i < n; i++)                                                                 \
            if ((odd && is_odd_space(s[i])) ||                                             \
                (i + 1 < n && is_nbsp_or_space(s[i]) && is_nbsp_or_space(s[i + 1])))      \
                return i;                                                                  \
        return -1;                                                                         \
    } while (0)

static Py_ssize_t
first_collapsed(int kind, const void *data, Py_ssize_t n, int odd)
{
    BY_KIND(kind, SCAN_COLLAPSE);
}

static PyObject *
collapse_spaces(PyObject *self, PyObject *args)
{
    PyObject *text, *result;
    int odd, kind;
    const void *data;
    void *out;
    Py_ssize_t n, first, kept;
    (void)self;
    if (!PyArg_ParseTuple(args, "Up:collapse_spaces", &text, &odd))
        return NULL;
    kind = PyUnicode_KIND(text);
    data = PyUnicode_DATA(text);
    n = PyUnicode_GET_LENGTH(text);
    if ((first = first_collapsed(kind, data, n, odd)) < 0)
        return Py_NewRef(text);
    /* an odd space may end a run that began before it: rewrite from the run's start */
    while (first > 0 && is_nbsp_or_space(PyUnicode_READ(kind, data, first - 1)))
        first--;
    if (!(out = PyMem_Malloc((size_t)n * (size_t)kind)))
        return PyErr_NoMemory();
    memcpy(out, data, (size_t)first * (size_t)kind);
    kept = first;
    for (Py_ssize_t i = first; i < n;) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        int spaceish = is_nbsp_or_space(c) || (odd && is_odd_space(c));
        Py_ssize_t j = i + 1;
        if (!spaceish) {
            PyUnicode_WRITE(kind, out, kept++, c);
            i = j;
            continue;
        }
        while (j < n) {
            Py_UCS4 d = PyUnicode_READ(kind, data, j);
            if (!(is_nbsp_or_space(d) || (odd && is_odd_space(d))))
                break;
            j++;
        }
        /* a run becomes one space; a lone character stays, but an odd space is a space */
        PyUnicode_WRITE(kind, out, kept++, (j - i > 1 || !is_nbsp_or_space(c)) ? ' ' : c);
        i = j;
    }
    result = PyUnicode_FromKindAndData(kind, out, kept);
    PyMem_Free(out);
    return result;
}

PyDoc_STRVAR(nfc_sure_doc,
"nfc_sure(text) -> bool\n\n"
"True when text is surely NFC without asking unicodedata: all its characters are in\n"
"ranges that are NFC and never compose with each other (Latin, Cyrillic, punctuation,\n"
"symbols, CJK, Hangul, emoji). False means: ask unicodedata.is_normalized.");

static PyObject *
nfc_sure(PyObject *self, PyObject *text)
{
    (void)self;
    return none_found(text, first_nfc_unsure, "nfc_sure");
}

static PyMethodDef methods[] = {
    {"candidates", candidates, METH_VARARGS, candidates_doc},
    {"configure", configure, METH_VARARGS, configure_doc},
    {"word_diff", word_diff, METH_VARARGS, word_diff_doc},
    {"build_groups", build_groups, METH_VARARGS, build_groups_doc},
    {"span_words", span_words, METH_VARARGS, span_words_doc},
    {"segment_words", segment_words, METH_VARARGS, segment_words_doc},
    {"word_classes", word_classes, METH_VARARGS, word_classes_doc},
    {"drop_controls", drop_controls, METH_VARARGS, drop_controls_doc},
    {"count_controls", count_controls, METH_O, count_controls_doc},
    {"collapse_spaces", collapse_spaces, METH_VARARGS, collapse_spaces_doc},
    {"nfc_sure", nfc_sure, METH_O, nfc_sure_doc},
    {"printable", printable, METH_O, printable_doc},
    {"lower", lower, METH_O, lower_doc},
    {"word_sets", word_sets, METH_VARARGS, word_sets_doc},
    {"word_weights", word_weights, METH_VARARGS, word_weights_doc},
    {"rank_words", rank_words, METH_VARARGS, rank_words_doc},
    {"masses", masses, METH_VARARGS, masses_doc},
    {"common_mass", common_mass, METH_VARARGS, common_mass_doc},
    {"heaviest_chain", heaviest_chain, METH_VARARGS, heaviest_chain_doc},
    {"configure_builder", configure_builder, METH_VARARGS, configure_builder_doc},
    {"add_ops", add_ops, METH_VARARGS, add_ops_doc},
    {"instances", instances, METH_VARARGS, instances_doc},
    {"records", records, METH_VARARGS, records_doc},
    {"records_json", records_json, METH_VARARGS, records_json_doc},
    {"dumps", dumps, METH_VARARGS, dumps_doc},
    {"plain_blocks", plain_blocks, METH_VARARGS, plain_blocks_doc},
    {"configure_chunks", configure_chunks, METH_VARARGS, configure_chunks_doc},
    {"chunk_codes", chunk_codes, METH_VARARGS, chunk_codes_doc},
    {"text_codes", text_codes, METH_VARARGS, text_codes_doc},
    {"cached_chunks", cached_chunks, METH_NOARGS, cached_chunks_doc},
    {"binned_logits", binned_logits, METH_VARARGS, binned_logits_doc},
    {"sentence_ends", sentence_ends, METH_VARARGS, sentence_ends_doc},
    {"quiet_clock", quiet_clock, METH_O, quiet_clock_doc},
    {"tune_malloc", tune_malloc, METH_NOARGS, tune_malloc_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    "_native",
    "Native inner loops of alignment, word diff and detection (optional).",
    -1,
    methods,
    NULL,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC
PyInit__native(void)
{
    if (!(s_equal = PyUnicode_InternFromString("equal")) ||
        !(s_insert = PyUnicode_InternFromString("insert")) ||
        !(s_delete = PyUnicode_InternFromString("delete")) ||
        !(s_replace = PyUnicode_InternFromString("replace")))
        return NULL;
    return PyModule_Create(&module);
}
