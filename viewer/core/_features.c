/* Alignment's weighted word sets (alignwords.Features), built in C.
 *
 * word_sets() is tokens.word_keys + frozenset for many blocks, with the number of sets
 * each word is in: the case-folded runs of word characters (str.isalnum() or '_'), as
 * plain_words finds them; a block with a character of a script without spaces goes to the
 * Python word_keys given. Equal words share one str. word_weights()
 * is Features' rarity weight of every word, and masses() the exactly rounded sum of the
 * weights of each set (math.fsum's algorithm). The Python code is the reference; tests
 * check that both give equal sets and bit-identical floats.
 */
#include "_native.h"
#include <math.h>
#include <stdlib.h>

static PyObject *s_casefold = NULL;

/* The distinct words of one word_sets() call: each word is made once as a str and shared
 * by every set holding it (fewer strings to make, hash and compare). Each entry's number
 * counts the blocks holding the word (Features' df); stamp is the last block counted. */
typedef struct {
    StrTable words;
    PyObject **order;  /* the words in order of first appearance (borrowed) */
    Py_ssize_t room;   /* of order */
} Vocabulary;

/* The shared str of text[s:e] (borrowed; hash: its str_hash), counted once for block
 * ``stamp``. */
static PyObject *
vocab_word(Vocabulary *v, PyObject *text, Py_ssize_t s, Py_ssize_t e, size_t hash,
           Py_ssize_t stamp)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    StrEntry *w = str_get(&v->words, kind, data, s, e, hash);
    if (w == NULL) {
        PyObject *word = PyUnicode_Substring(text, s, e);
        if (word == NULL)
            return NULL;
        if (v->words.used == v->room) {
            Py_ssize_t room = v->room ? 2 * v->room : 1024;
            PyObject **order = PyMem_RawRealloc(v->order, (size_t)room * sizeof(PyObject *));
            if (order == NULL) {
                Py_DECREF(word);
                PyErr_NoMemory();
                return NULL;
            }
            v->order = order;
            v->room = room;
        }
        w = str_add(&v->words, word, hash);
        Py_DECREF(word);  /* the table holds it */
        if (w == NULL)
            return NULL;
        w->stamp = -1;
        v->order[v->words.used - 1] = w->key;
    }
    if (w->stamp != stamp) {
        w->stamp = stamp;
        w->number++;
    }
    return w->key;
}

/* The word set of one text (a new frozenset) with its words from the vocabulary, or NULL
 * on error. */
static PyObject *
word_set(Vocabulary *v, PyObject *text, PyObject *fallback, Py_ssize_t stamp)
{
    PyObject *folded = PyObject_CallMethodNoArgs(text, s_casefold), *set = NULL, *keys = NULL;
    int kind;
    const void *data;
    Py_ssize_t n, i = 0;
    if (folded == NULL)
        return NULL;
    kind = PyUnicode_KIND(folded);
    data = PyUnicode_DATA(folded);
    n = PyUnicode_GET_LENGTH(folded);
    if (!(set = PyFrozenSet_New(NULL)))
        goto done;
    if (!PyUnicode_IS_ASCII(folded))
        for (Py_ssize_t k = 0; k < n; k++)
            if (is_nospace(PyUnicode_READ(kind, data, k))) {  /* word_re's tokens */
                PyObject *fast;
                if (!(keys = PyObject_CallOneArg(fallback, text)) ||
                    !(fast = PySequence_Fast(keys, "word_keys returns a list of str")))
                    goto fail;
                for (Py_ssize_t j = 0; j < PySequence_Fast_GET_SIZE(fast); j++) {
                    PyObject *key = PySequence_Fast_GET_ITEM(fast, j), *word;
                    if (!PyUnicode_Check(key)) {
                        PyErr_SetString(PyExc_TypeError, "word_keys returns a list of str");
                        Py_DECREF(fast);
                        goto fail;
                    }
                    Py_ssize_t len = PyUnicode_GET_LENGTH(key);
                    word = vocab_word(v, key, 0, len,
                                      str_hash(PyUnicode_KIND(key), PyUnicode_DATA(key), 0, len),
                                      stamp);
                    if (word == NULL || PySet_Add(set, word) < 0) {
                        Py_DECREF(fast);
                        goto fail;
                    }
                }
                Py_DECREF(fast);
                goto done;
            }
    while (i < n) {
        Py_ssize_t j;
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        PyObject *word;
        size_t hash;  /* str_hash of the word, made while finding it */
        if (!fast_isalnum(c) && c != '_') {
            i++;
            continue;
        }
        hash = STR_HASH_STEP(STR_HASH_START, c);
        for (j = i + 1; j < n; j++) {
            c = PyUnicode_READ(kind, data, j);
            if (!fast_isalnum(c) && c != '_')
                break;
            hash = STR_HASH_STEP(hash, c);
        }
        word = vocab_word(v, folded, i, j, hash, stamp);
        if (word == NULL || PySet_Add(set, word) < 0)  /* a brand new frozenset may be filled */
            goto fail;
        i = j;
    }
    goto done;
fail:
    Py_CLEAR(set);
done:
    Py_XDECREF(keys);
    Py_DECREF(folded);
    return set;
}

/* The word sets of the texts of one side (a new list), blocks numbered from *stamp. */
static PyObject *
side_sets(Vocabulary *v, PyObject *side, PyObject *fallback, Py_ssize_t *stamp)
{
    PyObject *texts, *ids, *fast_texts = NULL, *fast_ids = NULL, *out = NULL;
    if (!PyArg_ParseTuple(side, "OO:side", &texts, &ids))
        return NULL;
    if (!(fast_texts = PySequence_Fast(texts, "texts: a sequence of str")) ||
        !(fast_ids = PySequence_Fast(ids, "ids: a sequence of ints")) ||
        !(out = PyList_New(PySequence_Fast_GET_SIZE(fast_ids))))
        goto done;
    for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(fast_ids); k++) {
        Py_ssize_t i = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(fast_ids, k));
        PyObject *text, *set;
        if (i == -1 && PyErr_Occurred())
            goto fail;
        if (i < 0 || i >= PySequence_Fast_GET_SIZE(fast_texts)) {
            PyErr_SetString(PyExc_IndexError, "an id outside the texts");
            goto fail;
        }
        text = PySequence_Fast_GET_ITEM(fast_texts, i);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "texts are str");
            goto fail;
        }
        if (!(set = word_set(v, text, fallback, (*stamp)++)))
            goto fail;
        PyList_SET_ITEM(out, k, set);
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    Py_XDECREF(fast_texts);
    Py_XDECREF(fast_ids);
    return out;
}

const char word_sets_doc[] =
    "word_sets(sides, word_keys) -> (sets of each side, df)\n\n"
    "For each (texts, ids) of sides, frozenset(word_keys(texts[i])) for each i of ids, and\n"
    "df: in how many of all those sets each word is (the words in order of first\n"
    "appearance). word_keys (tokens.word_keys) is called only for texts with a character\n"
    "of a script without spaces. Equal words are one str, shared by the sets.";

PyObject *
word_sets(PyObject *self, PyObject *args)
{
    PyObject *sides, *fallback, *fast, *all = NULL, *df = NULL, *out = NULL;
    Vocabulary v = {STR_TABLE_EMPTY, NULL, 0};
    Py_ssize_t stamp = 0;
    (void)self;
    if (!PyArg_ParseTuple(args, "OO:word_sets", &sides, &fallback))
        return NULL;
    if (s_casefold == NULL && !(s_casefold = PyUnicode_InternFromString("casefold")))
        return NULL;
    if (!(fast = PySequence_Fast(sides, "sides: a sequence of (texts, ids)")))
        return NULL;
    if (!(all = PyList_New(PySequence_Fast_GET_SIZE(fast))))
        goto done;
    for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(fast); k++) {
        PyObject *sets = side_sets(&v, PySequence_Fast_GET_ITEM(fast, k), fallback, &stamp);
        if (sets == NULL)
            goto done;
        PyList_SET_ITEM(all, k, sets);
    }
    if (!(df = PyDict_New()))
        goto done;
    for (Py_ssize_t k = 0; k < v.words.used; k++) {
        PyObject *word = v.order[k], *count;
        const StrEntry *w = str_get(&v.words, PyUnicode_KIND(word), PyUnicode_DATA(word), 0,
                                    PyUnicode_GET_LENGTH(word),
                                    str_hash(PyUnicode_KIND(word), PyUnicode_DATA(word), 0,
                                             PyUnicode_GET_LENGTH(word)));
        if (!(count = PyLong_FromSsize_t(w->number)) || PyDict_SetItem(df, word, count) < 0) {
            Py_XDECREF(count);
            goto done;
        }
        Py_DECREF(count);
    }
    out = PyTuple_Pack(2, all, df);
done:
    Py_XDECREF(all);
    Py_XDECREF(df);
    str_clear(&v.words);
    PyMem_RawFree(v.order);
    Py_DECREF(fast);
    return out;
}

typedef struct {
    double weight;
    PyObject *word;  /* borrowed from the weights dict */
} Weighted;

/* Heavier first, then by word: the order of sorted((-weight, word)). */
static int
heavier_first(const void *a, const void *b)
{
    const Weighted *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    return PyUnicode_Compare(x->word, y->word);  /* str against str: cannot fail */
}

const char rank_words_doc[] =
    "rank_words(weights) -> (rank, rank_weight)\n\n"
    "Features' probe order: rank maps each word to its place when sorted heaviest first,\n"
    "ties by word (sorted(zip(map(float.__neg__, weights.values()), weights))); rank_weight\n"
    "is the weight of each place.";

PyObject *
rank_words(PyObject *self, PyObject *args)
{
    PyObject *weights, *key, *value, *rank = NULL, *out_weights = NULL, *out = NULL;
    Py_ssize_t n, pos = 0, k = 0;
    Weighted *items;
    (void)self;
    if (!PyArg_ParseTuple(args, "O!:rank_words", &PyDict_Type, &weights))
        return NULL;
    n = PyDict_GET_SIZE(weights);
    if (!(items = PyMem_RawMalloc((size_t)(n ? n : 1) * sizeof(Weighted))))
        return PyErr_NoMemory();
    while (PyDict_Next(weights, &pos, &key, &value)) {
        if (!PyUnicode_Check(key) || !PyFloat_Check(value)) {
            PyErr_SetString(PyExc_TypeError, "weights: str -> float");
            goto done;
        }
        items[k++] = (Weighted){PyFloat_AS_DOUBLE(value), key};
    }
    qsort(items, (size_t)n, sizeof(Weighted), heavier_first);
    if (!(rank = _PyDict_NewPresized(n)) || !(out_weights = PyList_New(n)))
        goto done;
    for (k = 0; k < n; k++) {
        PyObject *place = PyLong_FromSsize_t(k), *w;
        int failed = place == NULL || PyDict_SetItem(rank, items[k].word, place) < 0;
        Py_XDECREF(place);
        if (failed || !(w = PyFloat_FromDouble(items[k].weight)))
            goto done;
        PyList_SET_ITEM(out_weights, k, w);
    }
    out = PyTuple_Pack(2, rank, out_weights);
done:
    PyMem_RawFree(items);
    Py_XDECREF(rank);
    Py_XDECREF(out_weights);
    return out;
}

const char word_weights_doc[] =
    "word_weights(df, n, function_words)\n\n"
    "Features' weights, in the order of df (word -> blocks holding it): (log(n / (c + 0.5))\n"
    "+ 0.05), times 0.25 for words of one or two characters and function words.";

PyObject *
word_weights(PyObject *self, PyObject *args)
{
    PyObject *df, *function_words, *word, *count, *out;
    Py_ssize_t n, pos = 0;
    (void)self;
    if (!PyArg_ParseTuple(args, "O!nO:word_weights", &PyDict_Type, &df, &n, &function_words))
        return NULL;
    if (!PyAnySet_Check(function_words)) {
        PyErr_SetString(PyExc_TypeError, "function_words: a set");
        return NULL;
    }
    if (!(out = PyDict_New()))
        return NULL;
    while (PyDict_Next(df, &pos, &word, &count)) {
        double c = PyFloat_AsDouble(count), weight;  /* int + 0.5 is float(int) + 0.5 */
        int function = 1;
        PyObject *value;
        if (c == -1.0 && PyErr_Occurred())
            goto fail;
        if (!PyUnicode_Check(word)) {
            PyErr_SetString(PyExc_TypeError, "words are str");
            goto fail;
        }
        if (PyUnicode_GET_LENGTH(word) > 2 && (function = PySet_Contains(function_words, word)) < 0)
            goto fail;
        weight = (log((double)n / (c + 0.5)) + 0.05) * (function ? 0.25 : 1.0);
        if (!(value = PyFloat_FromDouble(weight)))
            goto fail;
        if (PyDict_SetItem(out, word, value) < 0) {
            Py_DECREF(value);
            goto fail;
        }
        Py_DECREF(value);
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* The weights of the words of set that are also in also (NULL: every word) into xs (room
 * for the set's size), their number into *count; 0, or -1 with an error set. */
static int
weights_of(PyObject *set, PyObject *also, PyObject *weights, double *xs, Py_ssize_t *count)
{
    PyObject *iter = PyObject_GetIter(set), *word;
    *count = 0;
    if (iter == NULL)
        return -1;
    while ((word = PyIter_Next(iter))) {
        int in = also == NULL ? 1 : PySet_Contains(also, word);
        PyObject *w = in > 0 ? PyDict_GetItemWithError(weights, word) : NULL;
        Py_DECREF(word);
        if (in < 0)
            break;
        if (!in)
            continue;
        if (w == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_KeyError, "a word without a weight");
            break;
        }
        if ((xs[(*count)++] = PyFloat_AsDouble(w)) == -1.0 && PyErr_Occurred())
            break;
    }
    Py_DECREF(iter);
    return PyErr_Occurred() ? -1 : 0;
}

const char common_mass_doc[] =
    "common_mass(a, b, weights) -> float\n\n"
    "masses((a & b,), weights)[0] without making the intersection: the exactly rounded sum\n"
    "of the weights of the words in both sets.";

PyObject *
common_mass(PyObject *self, PyObject *args)
{
    PyObject *a, *b, *weights, *out = NULL;
    double *xs, *partials;
    Py_ssize_t count = 0, room;
    (void)self;
    if (!PyArg_ParseTuple(args, "OOO!:common_mass", &a, &b, &PyDict_Type, &weights))
        return NULL;
    if (!PyAnySet_Check(a) || !PyAnySet_Check(b)) {
        PyErr_SetString(PyExc_TypeError, "sets are sets");
        return NULL;
    }
    if (PySet_GET_SIZE(a) > PySet_GET_SIZE(b)) {  /* the smaller one is walked */
        PyObject *t = a;
        a = b;
        b = t;
    }
    room = PySet_GET_SIZE(a) + 1;
    xs = PyMem_RawMalloc((size_t)room * sizeof(double));
    partials = PyMem_RawMalloc((size_t)room * sizeof(double));
    if (xs == NULL || partials == NULL)
        PyErr_NoMemory();
    else if (weights_of(a, b, weights, xs, &count) == 0)
        out = PyFloat_FromDouble(fsum_exact(xs, count, partials));
    PyMem_RawFree(xs);
    PyMem_RawFree(partials);
    return out;
}

const char masses_doc[] =
    "masses(sets, weights)\n\n"
    "math.fsum of the weights of the words of each set (0.0 for an empty one).";

PyObject *
masses(PyObject *self, PyObject *args)
{
    PyObject *sets, *weights, *fast, *out = NULL;
    double *xs = NULL, *partials = NULL;
    Py_ssize_t room = 0;
    (void)self;
    if (!PyArg_ParseTuple(args, "OO!:masses", &sets, &PyDict_Type, &weights))
        return NULL;
    if (!(fast = PySequence_Fast(sets, "sets: a sequence of frozensets")))
        return NULL;
    if (!(out = PyList_New(PySequence_Fast_GET_SIZE(fast))))
        goto done;
    for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(fast); k++) {
        PyObject *set = PySequence_Fast_GET_ITEM(fast, k), *mass;
        Py_ssize_t size, count = 0;
        if (!PyAnySet_Check(set)) {
            PyErr_SetString(PyExc_TypeError, "sets are sets");
            goto fail;
        }
        size = PySet_GET_SIZE(set);
        if (size + 1 > room) {
            room = 2 * (size + 1);
            PyMem_RawFree(xs);
            PyMem_RawFree(partials);
            xs = PyMem_RawMalloc((size_t)room * sizeof(double));
            partials = PyMem_RawMalloc((size_t)room * sizeof(double));
            if (xs == NULL || partials == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
        }
        if (weights_of(set, NULL, weights, xs, &count) < 0)
            goto fail;
        if (!(mass = PyFloat_FromDouble(fsum_exact(xs, count, partials))))
            goto fail;
        PyList_SET_ITEM(out, k, mass);
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    PyMem_RawFree(xs);
    PyMem_RawFree(partials);
    Py_DECREF(fast);
    return out;
}

typedef struct {
    double weight;
    Py_ssize_t left, right, order;
} Pair;

static int
by_right_then_left_down(const void *a, const void *b)
{
    const Pair *p = a, *q = b;
    if (p->right != q->right)
        return p->right < q->right ? -1 : 1;
    if (p->left != q->left)
        return p->left > q->left ? -1 : 1;
    return p->order < q->order ? -1 : (p->order > q->order);  /* stable, as sorted() */
}

static int
by_value(const void *a, const void *b)
{
    Py_ssize_t x = *(const Py_ssize_t *)a, y = *(const Py_ssize_t *)b;
    return x < y ? -1 : (x > y);
}

const char heaviest_chain_doc[] =
    "heaviest_chain(pairs) -> set[tuple[int, int]]\n\n"
    "alignwords.heaviest_chain: of (weight, left, right) pairs, the (left, right) of the\n"
    "heaviest sequence increasing on both sides (a weighted LIS with a Fenwick tree).";

PyObject *
heaviest_chain(PyObject *self, PyObject *args)
{
    PyObject *pairs, *fast, *out = NULL;
    Py_ssize_t n, size = 0, best_k = -1;
    Pair *items = NULL;
    Py_ssize_t *lefts = NULL, *tree_idx = NULL, *prev = NULL;
    double *tree_val = NULL, *best = NULL;
    (void)self;
    if (!PyArg_ParseTuple(args, "O:heaviest_chain", &pairs))
        return NULL;
    if (!(fast = PySequence_Fast(pairs, "pairs: a sequence of (weight, left, right)")))
        return NULL;
    n = PySequence_Fast_GET_SIZE(fast);
    items = PyMem_RawMalloc((size_t)(n + 1) * sizeof(Pair));
    lefts = PyMem_RawMalloc((size_t)(n + 1) * sizeof(Py_ssize_t));
    prev = PyMem_RawMalloc((size_t)(n + 1) * sizeof(Py_ssize_t));
    best = PyMem_RawMalloc((size_t)(n + 1) * sizeof(double));
    if (!items || !lefts || !prev || !best) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        Pair *p = &items[k];
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(fast, k), "dnn:pair", &p->weight, &p->left,
                              &p->right))
            goto done;
        p->order = k;
        lefts[k] = p->left;
    }
    qsort(items, (size_t)n, sizeof(Pair), by_right_then_left_down);
    qsort(lefts, (size_t)n, sizeof(Py_ssize_t), by_value);
    for (Py_ssize_t k = 0; k < n; k++)  /* the distinct lefts, in order: ranks 1..size */
        if (size == 0 || lefts[size - 1] != lefts[k])
            lefts[size++] = lefts[k];
    tree_val = PyMem_RawCalloc((size_t)(size + 1), sizeof(double));
    tree_idx = PyMem_RawMalloc((size_t)(size + 1) * sizeof(Py_ssize_t));
    if (!tree_val || !tree_idx) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i <= size; i++)
        tree_idx[i] = -1;
    for (Py_ssize_t k = 0; k < n; k++) {
        const Pair *p = &items[k];
        Py_ssize_t *at = bsearch(&p->left, lefts, (size_t)size, sizeof(Py_ssize_t), by_value);
        Py_ssize_t rank = (at - lefts) + 1, i = rank - 1, qi = -1;
        double q = 0.0;
        for (; i > 0; i -= i & -i)
            if (tree_val[i] > q) {
                q = tree_val[i];
                qi = tree_idx[i];
            }
        best[k] = q + p->weight;
        prev[k] = qi;
        for (i = rank; i <= size; i += i & -i)
            if (best[k] > tree_val[i]) {
                tree_val[i] = best[k];
                tree_idx[i] = k;
            }
        if (best_k < 0 || best[k] > best[best_k])  /* max(): the first of the heaviest */
            best_k = k;
    }
    if (!(out = PySet_New(NULL)))
        goto done;
    for (Py_ssize_t k = best_k; k >= 0; k = prev[k]) {
        PyObject *pair = Py_BuildValue("(nn)", items[k].left, items[k].right);
        if (pair == NULL || PySet_Add(out, pair) < 0) {
            Py_XDECREF(pair);
            Py_CLEAR(out);
            goto done;
        }
        Py_DECREF(pair);
    }
done:
    PyMem_RawFree(items);
    PyMem_RawFree(lefts);
    PyMem_RawFree(prev);
    PyMem_RawFree(best);
    PyMem_RawFree(tree_val);
    PyMem_RawFree(tree_idx);
    Py_DECREF(fast);
    return out;
}
