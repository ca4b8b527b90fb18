/* Codes and flags of whitespace-separated chunks for extraneous-block detection.
 *
 * chunk_codes() is extraneous_words._chunk_code for many chunks at once; the Python
 * function is the reference and tests check that both give the same dicts:
 *   - word tokens as WORD finds them: a run of letters ([^\W\d_], sre's Unicode classes)
 *     with at most one apostrophe joining a second run, or a run of decimal digits;
 *   - each token's packed counts, with the units configure_chunks() was given;
 *   - the phrase categories its lower-cased first letters wake (the trigger dict);
 *   - the phrase-text pieces in the lower-cased chunk, found with a trie;
 *   - URL and date marks from the very expressions Python uses, run only on chunks that
 *     hold a character every match needs; separator marks.
 * A chunk whose counts would not fit in 64 bits goes to the Python fallback.
 * Everything else (the token rules' sources, the units, the pieces) is configured from
 * Python, never written twice.
 */
#include "_native.h"

/* The units of the packed counts, in the order of extraneous_words._token_code. */
enum { U_ALPHA, U_STOP, U_CAPS, U_UPPER, U_DIGIT_CHARS, U_CHARS, N_UNITS };

typedef struct {
    Py_UCS4 *chars;     /* edge labels */
    Py_ssize_t *kids;   /* node index of each edge */
    Py_ssize_t n, cap;  /* edges */
    Py_ssize_t ends;    /* first piece ending here (index into piece_ends), or -1 */
} TrieNode;

typedef struct {
    int start, end;     /* the piece must start (end) its chunk */
    PyObject *bits;     /* texts holding it (a Python int) */
    Py_ssize_t next;    /* next piece ending at the same node, or -1 */
} PieceEnd;

#define ASCII_ROOM 256  /* ASCII chunks up to this long are lower-cased here */

static struct {
    int ready;
    /* the stopwords and triggers again, found by characters: ASCII tokens (most of any
     * page) are looked up lower-cased in a buffer, without making a str */
    StrTable stops, trigger_table;
    unsigned long long units[N_UNITS];
    PyObject *stopwords;        /* frozenset */
    Py_ssize_t longest_stop;    /* code points of the longest stopword */
    PyObject *triggers;         /* dict: lower-cased prefix -> categories (int) */
    Py_ssize_t prefix;
    PyObject *category_texts;   /* tuple of ints: the texts (bits) of each category */
    PyObject *url_search, *date_search, *fallback;
    PyObject *url_needs, *separators;  /* str */
    TrieNode *nodes;
    Py_ssize_t n_nodes, cap_nodes;
    /* the root's child for each ASCII character (-1: none): every start of a chunk takes
     * a step from the root, whose edges are many */
    Py_ssize_t root_ascii[128];
    /* the ASCII characters of url_needs and separators, as bits */
    uint64_t url_ascii[2], separator_ascii[2];
    PieceEnd *ends;
    Py_ssize_t n_ends;
} cfg = {0};

/* The chunks coded so far, keyed by their characters, whatever the kind of the text
 * they came from: value their code, extra their flags (NULL when 0), and number and
 * stamp the same as machine words (-1 where the Python int does not fit in one, so
 * that a lookup converts nothing). Kept across calls, like the Python caches; emptied
 * when configure_chunks() changes what codes mean. */
static StrTable cache = STR_TABLE_EMPTY;

static void
free_config(void)
{
    for (Py_ssize_t i = 0; i < cfg.n_nodes; i++) {
        PyMem_RawFree(cfg.nodes[i].chars);
        PyMem_RawFree(cfg.nodes[i].kids);
    }
    PyMem_RawFree(cfg.nodes);
    for (Py_ssize_t i = 0; i < cfg.n_ends; i++)
        Py_DECREF(cfg.ends[i].bits);
    PyMem_RawFree(cfg.ends);
    str_clear(&cache);  /* codes made with the old configuration */
    str_clear(&cfg.stops);
    str_clear(&cfg.trigger_table);
    Py_CLEAR(cfg.stopwords);
    Py_CLEAR(cfg.triggers);
    Py_CLEAR(cfg.category_texts);
    Py_CLEAR(cfg.url_search);
    Py_CLEAR(cfg.date_search);
    Py_CLEAR(cfg.fallback);
    Py_CLEAR(cfg.url_needs);
    Py_CLEAR(cfg.separators);
    cfg.nodes = NULL;
    cfg.ends = NULL;
    cfg.n_nodes = cfg.cap_nodes = cfg.n_ends = 0;
    cfg.ready = 0;
}

static Py_ssize_t
new_node(void)
{
    if (cfg.n_nodes == cfg.cap_nodes) {
        Py_ssize_t cap = cfg.cap_nodes ? 2 * cfg.cap_nodes : 64;
        TrieNode *grown = PyMem_RawRealloc(cfg.nodes, (size_t)cap * sizeof(TrieNode));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        cfg.nodes = grown;
        cfg.cap_nodes = cap;
    }
    cfg.nodes[cfg.n_nodes] = (TrieNode){NULL, NULL, 0, 0, -1};
    return cfg.n_nodes++;
}

static Py_ssize_t
child(Py_ssize_t node, Py_UCS4 c)
{
    const TrieNode *t = &cfg.nodes[node];
    for (Py_ssize_t i = 0; i < t->n; i++)
        if (t->chars[i] == c)
            return t->kids[i];
    return -1;
}

static Py_ssize_t
add_child(Py_ssize_t node, Py_UCS4 c)
{
    Py_ssize_t kid = new_node();
    TrieNode *t;
    if (kid < 0)
        return -1;
    t = &cfg.nodes[node];  /* after new_node: the array may have moved */
    if (t->n == t->cap) {
        Py_ssize_t cap = t->cap ? 2 * t->cap : 2;
        Py_UCS4 *chars = PyMem_RawRealloc(t->chars, (size_t)cap * sizeof(Py_UCS4));
        Py_ssize_t *kids;
        if (chars == NULL)
            goto nomem;
        t->chars = chars;
        kids = PyMem_RawRealloc(t->kids, (size_t)cap * sizeof(Py_ssize_t));
        if (kids == NULL)
            goto nomem;
        t->kids = kids;
        t->cap = cap;
    }
    t->chars[t->n] = c;
    t->kids[t->n++] = kid;
    return kid;
nomem:
    PyErr_NoMemory();
    return -1;
}

/* Adds one (piece, start, end, bits) tuple to the trie. */
static int
add_piece(PyObject *item)
{
    PyObject *piece, *bits;
    int start, end;
    Py_ssize_t node = 0, n;
    if (!PyArg_ParseTuple(item, "UppO!:piece", &piece, &start, &end, &PyLong_Type, &bits))
        return -1;
    n = PyUnicode_GET_LENGTH(piece);
    if (n == 0) {
        PyErr_SetString(PyExc_ValueError, "pieces are not empty");
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(piece, i);
        Py_ssize_t next = child(node, c);
        if (next < 0 && (next = add_child(node, c)) < 0)
            return -1;
        node = next;
    }
    {
        PieceEnd *grown = PyMem_RawRealloc(cfg.ends, (size_t)(cfg.n_ends + 1) * sizeof(PieceEnd));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        cfg.ends = grown;
    }
    Py_INCREF(bits);
    cfg.ends[cfg.n_ends] = (PieceEnd){start, end, bits, cfg.nodes[node].ends};
    cfg.nodes[node].ends = cfg.n_ends++;
    return 0;
}

/* The ASCII characters of a str as bits. */
static void
ascii_bits(PyObject *chars, uint64_t bits[2])
{
    bits[0] = bits[1] = 0;
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(chars); i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(chars, i);
        if (c < 128)
            bits[c >> 6] |= (uint64_t)1 << (c & 63);
    }
}

/* 1 if c is one of chars (its ASCII ones as bits). */
static inline int
has_char(const uint64_t bits[2], PyObject *chars, Py_UCS4 c)
{
    if (c < 128)
        return (int)(bits[c >> 6] >> (c & 63) & 1);
    return PyUnicode_FindChar(chars, c, 0, PY_SSIZE_T_MAX, 1) >= 0;
}

const char configure_chunks_doc[] =
    "configure_chunks(units, stopwords, triggers, prefix, pieces, category_texts,\n"
    "                 url_search, url_needs, date_search, separators, fallback)\n\n"
    "What chunk_codes() needs from extraneous_words and extraneous_phrases: the six units\n"
    "of the packed counts, the stopwords, the trigger dict and its prefix length, the\n"
    "pieces as (piece, start, end, texts) tuples, each category's texts, the URL\n"
    "expression's search and the characters one of which every match of it holds, the\n"
    "date expression's search (every match holds a decimal digit), the separator\n"
    "characters and the Python coder of one chunk, for chunks too long to pack here.";

PyObject *
configure_chunks(PyObject *self, PyObject *args)
{
    PyObject *units, *stops, *triggers, *pieces, *texts, *url, *url_needs, *date, *seps, *fb;
    Py_ssize_t prefix, longest = 0;
    unsigned long long parsed[N_UNITS];
    PyObject *fast, *iter, *item;
    (void)self;
    if (!PyArg_ParseTuple(args, "O!O!O!nOO!OUOUO:configure_chunks", &PyTuple_Type, &units,
                          &PyFrozenSet_Type, &stops, &PyDict_Type, &triggers, &prefix, &pieces,
                          &PyTuple_Type, &texts, &url, &url_needs, &date, &seps, &fb))
        return NULL;
    if (PyTuple_GET_SIZE(units) != N_UNITS) {
        PyErr_SetString(PyExc_ValueError, "units: six ints");
        return NULL;
    }
    for (int i = 0; i < N_UNITS; i++) {
        parsed[i] = PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(units, i));
        if (PyErr_Occurred())
            return NULL;
    }
    if (prefix < 1) {
        PyErr_SetString(PyExc_ValueError, "prefix: at least one character");
        return NULL;
    }
    if (!PyCallable_Check(url) || !PyCallable_Check(date) || !PyCallable_Check(fb)) {
        PyErr_SetString(PyExc_TypeError, "url_search, date_search and fallback are callables");
        return NULL;
    }
    if (!(iter = PyObject_GetIter(stops)))
        return NULL;
    while ((item = PyIter_Next(iter))) {
        if (PyUnicode_Check(item) && PyUnicode_GET_LENGTH(item) > longest)
            longest = PyUnicode_GET_LENGTH(item);
        Py_DECREF(item);
    }
    Py_DECREF(iter);
    if (PyErr_Occurred())
        return NULL;
    if (!(fast = PySequence_Fast(pieces, "pieces: a sequence of tuples")))
        return NULL;
    free_config();
    if (new_node() < 0)
        goto fail;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(fast); i++)
        if (add_piece(PySequence_Fast_GET_ITEM(fast, i)) < 0)
            goto fail;
    if (str_table_of(&cfg.stops, stops) < 0 || str_table_of(&cfg.trigger_table, triggers) < 0)
        goto fail;
    Py_DECREF(fast);
    memcpy(cfg.units, parsed, sizeof parsed);
    cfg.longest_stop = longest;
    cfg.prefix = prefix;
    cfg.stopwords = Py_NewRef(stops);
    cfg.triggers = Py_NewRef(triggers);
    cfg.category_texts = Py_NewRef(texts);
    cfg.url_search = Py_NewRef(url);
    cfg.url_needs = Py_NewRef(url_needs);
    cfg.date_search = Py_NewRef(date);
    cfg.separators = Py_NewRef(seps);
    cfg.fallback = Py_NewRef(fb);
    ascii_bits(url_needs, cfg.url_ascii);
    ascii_bits(seps, cfg.separator_ascii);
    for (Py_UCS4 c = 0; c < 128; c++)
        cfg.root_ascii[c] = child(0, c);
    cfg.ready = 1;
    Py_RETURN_NONE;
fail:
    Py_DECREF(fast);
    free_config();
    return NULL;
}

/* sre's [^\W\d_] on a str pattern: a word character that is no decimal digit nor '_'. */
static inline int
is_letter(Py_UCS4 c)
{
    if (c < 128)  /* the ASCII digits are decimal: only letters are left */
        return fast_isalpha(c);
    return (Py_UNICODE_ISALPHA(c) || Py_UNICODE_ISDIGIT(c) || Py_UNICODE_ISNUMERIC(c)) &&
           !Py_UNICODE_ISDECIMAL(c);
}

static inline int
is_apostrophe(Py_UCS4 c)
{
    return c == '\'' || c == 0x2019;
}

/* str.isupper() of text[i:j] (j - i > 1): no lower or title case, and some upper case. */
static int
all_upper(int kind, const void *data, Py_ssize_t i, Py_ssize_t j)
{
    int cased = 0;
    for (; i < j; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (Py_UNICODE_ISLOWER(c) || Py_UNICODE_ISTITLE(c))
            return 0;
        if (Py_UNICODE_ISUPPER(c))
            cased = 1;
    }
    return cased;
}

/* 1 if (lower-cased, when lower) text is in set; -1 on error. */
static int
contains(PyObject *set, PyObject *text, int lower)
{
    int found;
    if (lower) {
        PyObject *low = lower_str(text);
        if (low == NULL)
            return -1;
        found = PySet_Contains(set, low);
        Py_DECREF(low);
        return found;
    }
    return PySet_Contains(set, text);
}

/* The wake mask of a token: triggers[token[:prefix].lower()], or 0; -1 on error. */
static long
trigger_of(PyObject *chunk, Py_ssize_t i, Py_ssize_t j)
{
    Py_ssize_t end = j - i > cfg.prefix ? i + cfg.prefix : j;
    PyObject *head, *low, *found;
    long mask = 0;
    if (PyUnicode_IS_ASCII(chunk) && end - i <= ASCII_ROOM) {
        const char *s = (const char *)PyUnicode_DATA(chunk) + i;
        char buf[ASCII_ROOM];
        for (Py_ssize_t k = 0; k < end - i; k++)
            buf[k] = Py_TOLOWER(s[k]);
        const StrEntry *found_entry = str_get(&cfg.trigger_table, PyUnicode_1BYTE_KIND, buf, 0,
                                              end - i, str_hash(PyUnicode_1BYTE_KIND, buf, 0, end - i));
        return found_entry != NULL ? (long)found_entry->number : 0;
    }
    if (!(head = PyUnicode_Substring(chunk, i, end)))
        return -1;
    low = lower_str(head);
    Py_DECREF(head);
    if (low == NULL)
        return -1;
    found = PyDict_GetItemWithError(cfg.triggers, low);
    Py_DECREF(low);
    if (found != NULL) {
        mask = PyLong_AsLong(found);
        if (mask == -1 && PyErr_Occurred())
            return -1;
    }
    else if (PyErr_Occurred())
        return -1;
    return mask;
}

/* The packed counts of token chunk[i:j] (extraneous_words._token_code) into *code;
 * 0 when they do not fit, -1 on error, 1 when done. */
static int
token_code(PyObject *chunk, int kind, const void *data, Py_ssize_t i, Py_ssize_t j,
           unsigned long long *code)
{
    const unsigned long long *u = cfg.units;
    unsigned long long n = (unsigned long long)(j - i), add;
    int digits = 1, stop = 0;
    for (Py_ssize_t k = i; k < j && digits; k++)
        digits = Py_UNICODE_ISDIGIT(PyUnicode_READ(kind, data, k));
    if (digits) {
        if (n > ULLONG_MAX / (u[U_DIGIT_CHARS] + u[U_CHARS]))
            return 0;
        add = n * (u[U_DIGIT_CHARS] + u[U_CHARS]);
    }
    else {
        int upper_first = Py_UNICODE_ISUPPER(PyUnicode_READ(kind, data, i));
        if (n > (ULLONG_MAX - u[U_ALPHA] - u[U_CAPS] - u[U_STOP] - u[U_UPPER]) / u[U_CHARS])
            return 0;
        add = u[U_ALPHA] + n * u[U_CHARS];
        if (PyUnicode_IS_ASCII(chunk)) {
            /* ASCII lower-casing keeps the length: longer words are no stopwords */
            if ((Py_ssize_t)n <= cfg.longest_stop && n <= ASCII_ROOM) {
                const char *s = (const char *)data + i;
                char buf[ASCII_ROOM];
                for (Py_ssize_t k = 0; k < (Py_ssize_t)n; k++)
                    buf[k] = upper_first ? Py_TOLOWER(s[k]) : s[k];
                stop = str_get(&cfg.stops, PyUnicode_1BYTE_KIND, buf, 0, (Py_ssize_t)n,
                               str_hash(PyUnicode_1BYTE_KIND, buf, 0, (Py_ssize_t)n)) != NULL;
            }
        }
        else if (upper_first || (Py_ssize_t)n <= cfg.longest_stop) {
            PyObject *word = PyUnicode_Substring(chunk, i, j);
            if (word == NULL)
                return -1;
            stop = contains(cfg.stopwords, word, upper_first);
            Py_DECREF(word);
            if (stop < 0)
                return -1;
        }
        if (upper_first) {
            add += u[U_CAPS];
            if (stop)
                add += u[U_STOP];
            else if (n > 1 && all_upper(kind, data, i, j))
                add += u[U_UPPER];
        }
        else if (stop)
            add += u[U_STOP];
    }
    if (*code > ULLONG_MAX - add)
        return 0;
    *code += add;
    return 1;
}

/* Or of the texts whose piece is in the lower-cased chunk (extraneous_words._piece_bits),
 * its n characters of the given kind; a new reference (NULL on error, 0 for none). */
static PyObject *
piece_bits(int kind, const void *data, Py_ssize_t n)
{
    PyObject *bits = NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t node = 0;
        for (Py_ssize_t k = i; k < n; k++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, k);
            node = node == 0 && c < 128 ? cfg.root_ascii[c] : child(node, c);
            if (node < 0)
                break;
            for (Py_ssize_t e = cfg.nodes[node].ends; e >= 0; e = cfg.ends[e].next) {
                const PieceEnd *p = &cfg.ends[e];
                if ((p->start && i) || (p->end && k + 1 != n))
                    continue;
                if (bits == NULL) {
                    Py_INCREF(p->bits);
                    bits = p->bits;
                }
                else {
                    PyObject *both = PyNumber_Or(bits, p->bits);
                    Py_DECREF(bits);
                    if (both == NULL)
                        return NULL;
                    bits = both;
                }
            }
        }
    }
    return bits != NULL ? bits : PyLong_FromLong(0);
}

/* 1 if search(chunk) finds a match, 0 if not, -1 on error. */
static int
finds(PyObject *search, PyObject *chunk)
{
    PyObject *m = PyObject_CallOneArg(search, chunk);
    int found;
    if (m == NULL)
        return -1;
    found = m != Py_None;
    Py_DECREF(m);
    return found;
}

/* extraneous_words._marks of a chunk that is not all letters; -1 on error. */
static long
marks_of(PyObject *chunk, int kind, const void *data, Py_ssize_t n)
{
    int url = 0, digit = 0, sep = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (!url && has_char(cfg.url_ascii, cfg.url_needs, c))
            url = 1;
        if (!digit && Py_UNICODE_ISDECIMAL(c))
            digit = 1;
        if (!sep && has_char(cfg.separator_ascii, cfg.separators, c))
            sep = 1;
    }
    /* the flag values are those of HAS_URL, HAS_DATE, HAS_SEPARATOR */
    if (url && (url = finds(cfg.url_search, chunk)) < 0)
        return -1;
    if (digit && (digit = finds(cfg.date_search, chunk)) < 0)
        return -1;
    return (url ? 1 : 0) | (digit ? 2 : 0) | (sep ? 4 : 0);
}

/* marks | (woken | (gated | texts << n) << n) << shift, n the number of categories. */
static PyObject *
compose_flags(long marks, long woken, PyObject *texts, int shift)
{
    Py_ssize_t n = PyTuple_GET_SIZE(cfg.category_texts);
    long gated = 0;
    PyObject *flags, *step;
    int zero = PyObject_Not(texts);
    if (zero < 0)
        return NULL;
    if (zero)
        return PyLong_FromLong(marks | woken << shift);
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *both = PyNumber_And(texts, PyTuple_GET_ITEM(cfg.category_texts, k));
        int hit;
        if (both == NULL)
            return NULL;
        hit = PyObject_IsTrue(both);
        Py_DECREF(both);
        if (hit < 0)
            return NULL;
        if (hit)
            gated |= 1L << k;
    }
    /* built as the Python expression is, one operation at a time */
    {
        PyObject *nn = PyLong_FromSsize_t(n), *sh = PyLong_FromLong(shift);
        PyObject *g = PyLong_FromLong(gated), *w = PyLong_FromLong(woken);
        PyObject *m = PyLong_FromLong(marks);
        flags = NULL;
        if (nn && sh && g && w && m && (step = PyNumber_Lshift(texts, nn))) {
            PyObject *a = PyNumber_Or(step, g), *b = NULL, *c = NULL, *d = NULL, *e = NULL;
            Py_DECREF(step);
            if (a && (b = PyNumber_Lshift(a, nn)) && (c = PyNumber_Or(b, w)) &&
                (d = PyNumber_Lshift(c, sh)) && (e = PyNumber_Or(d, m)))
                flags = e;
            Py_XDECREF(a);
            Py_XDECREF(b);
            Py_XDECREF(c);
            Py_XDECREF(d);
        }
        Py_XDECREF(nn);
        Py_XDECREF(sh);
        Py_XDECREF(g);
        Py_XDECREF(w);
        Py_XDECREF(m);
    }
    return flags;
}

/* The fallback's (code, flags) of a chunk, as chunk_values gives them. */
static int
fallback_values(PyObject *chunk, PyObject **code, PyObject **flags)
{
    PyObject *pair = PyObject_CallOneArg(cfg.fallback, chunk);
    int set;
    if (pair == NULL)
        return -1;
    if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2 ||
        (set = PyObject_IsTrue(PyTuple_GET_ITEM(pair, 1))) < 0) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "the fallback returns (code, flags)");
        Py_DECREF(pair);
        return -1;
    }
    *code = Py_NewRef(PyTuple_GET_ITEM(pair, 0));
    *flags = set ? Py_NewRef(PyTuple_GET_ITEM(pair, 1)) : NULL;
    Py_DECREF(pair);
    return 0;
}

/* The code and flags of one chunk (extraneous_words._chunk_code) as new references;
 * *flags is NULL when they are 0. 0, or -1 on error. */
static int
chunk_values(PyObject *chunk, int shift, PyObject **code_out, PyObject **flags_out)
{
    int kind = PyUnicode_KIND(chunk);
    const void *data = PyUnicode_DATA(chunk);
    Py_ssize_t n = PyUnicode_GET_LENGTH(chunk), i = 0;
    unsigned long long code = 0;
    long woken = 0, marks = 0;
    int alpha = n > 0, set;
    PyObject *low, *texts, *value;
    for (Py_ssize_t k = 0; k < n && alpha; k++)  /* str.isalpha(): one token, no mark */
        alpha = fast_isalpha(PyUnicode_READ(kind, data, k));
    while (i < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        Py_ssize_t j = i + 1;
        long wakes;
        int fits;
        if (is_letter(c)) {
            while (j < n && is_letter(PyUnicode_READ(kind, data, j)))
                j++;
            if (j + 1 < n && is_apostrophe(PyUnicode_READ(kind, data, j)) &&
                is_letter(PyUnicode_READ(kind, data, j + 1))) {
                for (j += 2; j < n && is_letter(PyUnicode_READ(kind, data, j));)
                    j++;
            }
        }
        else if (Py_UNICODE_ISDECIMAL(c)) {
            while (j < n && Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, j)))
                j++;
        }
        else {
            i = j;
            continue;
        }
        if ((fits = token_code(chunk, kind, data, i, j, &code)) <= 0)
            return fits < 0 ? -1 : fallback_values(chunk, code_out, flags_out);
        if ((wakes = trigger_of(chunk, i, j)) < 0)
            return -1;
        woken |= wakes;
        i = j;
    }
    if (!alpha && (marks = marks_of(chunk, kind, data, n)) < 0)
        return -1;
    if (PyUnicode_IS_ASCII(chunk) && n <= ASCII_ROOM) {
        char buf[ASCII_ROOM];
        for (Py_ssize_t k = 0; k < n; k++)
            buf[k] = Py_TOLOWER(((const char *)data)[k]);
        texts = piece_bits(PyUnicode_1BYTE_KIND, buf, n);
    }
    else {
        if (!(low = lower_str(chunk)))
            return -1;
        texts = piece_bits(PyUnicode_KIND(low), PyUnicode_DATA(low), PyUnicode_GET_LENGTH(low));
        Py_DECREF(low);
    }
    if (texts == NULL)
        return -1;
    value = compose_flags(marks, woken, texts, shift);
    Py_DECREF(texts);
    if (value == NULL || (set = PyObject_IsTrue(value)) < 0) {
        Py_XDECREF(value);
        return -1;
    }
    if (!set)
        Py_CLEAR(value);
    if (!(*code_out = PyLong_FromUnsignedLongLong(code))) {
        Py_XDECREF(value);
        return -1;
    }
    *flags_out = value;
    return 0;
}

/* Codes one chunk into codes (and flags, when they are not 0); 0 or -1 on error. */
static int
code_chunk(PyObject *chunk, PyObject *codes, PyObject *flags, int shift)
{
    PyObject *code, *flag;
    int ok;
    if (chunk_values(chunk, shift, &code, &flag) < 0)
        return -1;
    /* flags first: a chunk with a code has its flags */
    ok = (flag == NULL || PyDict_SetItem(flags, chunk, flag) == 0) &&
         PyDict_SetItem(codes, chunk, code) == 0;
    Py_DECREF(code);
    Py_XDECREF(flag);
    return ok ? 0 : -1;
}

const char chunk_codes_doc[] =
    "chunk_codes(chunks, codes, flags, shift)\n\n"
    "Sets codes[chunk] to the packed counts of each chunk (an iterable of str) and\n"
    "flags[chunk] to its flags, where they are not 0, as extraneous_words._chunk_code\n"
    "gives them; shift: how far the flags above the marks are shifted.";

PyObject *
chunk_codes(PyObject *self, PyObject *args)
{
    PyObject *chunks, *codes, *flags, *iter, *chunk;
    int shift;
    (void)self;
    if (!PyArg_ParseTuple(args, "OO!O!i:chunk_codes", &chunks, &PyDict_Type, &codes,
                          &PyDict_Type, &flags, &shift))
        return NULL;
    if (!cfg.ready) {
        PyErr_SetString(PyExc_RuntimeError, "configure_chunks() first");
        return NULL;
    }
    if (shift < 0 || shift > 16) {
        PyErr_SetString(PyExc_ValueError, "shift: 0 to 16");
        return NULL;
    }
    if (!(iter = PyObject_GetIter(chunks)))
        return NULL;
    while ((chunk = PyIter_Next(iter))) {
        int failed;
        if (!PyUnicode_Check(chunk)) {
            PyErr_SetString(PyExc_TypeError, "chunks are str");
            failed = 1;
        }
        else
            failed = code_chunk(chunk, codes, flags, shift) < 0;
        Py_DECREF(chunk);
        if (failed) {
            Py_DECREF(iter);
            return NULL;
        }
    }
    Py_DECREF(iter);
    if (PyErr_Occurred())
        return NULL;
    Py_RETURN_NONE;
}

/* A sum or an or of non-negative Python ints, in a machine word while it fits. */
typedef struct {
    unsigned long long small;
    PyObject *big;  /* the part that did not fit, or NULL */
} Acc;

/* Adds (or ors) a value that fits in a machine word. */
static int
acc_add_word(Acc *acc, unsigned long long v, int use_or)
{
    PyObject *word, *merged;
    if (use_or) {
        acc->small |= v;
        return 0;
    }
    if (acc->small <= ULLONG_MAX - v) {
        acc->small += v;
        return 0;
    }
    /* the word is full: move it to big */
    if (!(word = PyLong_FromUnsignedLongLong(acc->small)))
        return -1;
    merged = acc->big == NULL ? (Py_INCREF(word), word) : PyNumber_Add(acc->big, word);
    Py_DECREF(word);
    if (merged == NULL)
        return -1;
    acc->small = v;
    Py_XSETREF(acc->big, merged);
    return 0;
}

/* A non-negative int as a machine word: its value, or -1 where it does not fit in one
 * (-2 on an error other than that). */
static Py_ssize_t
as_word(PyObject *value)
{
    Py_ssize_t v = PyLong_AsSsize_t(value);
    if (v == -1 && PyErr_Occurred()) {
        if (!PyErr_ExceptionMatches(PyExc_OverflowError))
            return -2;
        PyErr_Clear();
    }
    return v < 0 ? -1 : v;
}

/* Adds (or ors) a non-negative int given as a Python int and as_word() of it. */
static int
acc_add(Acc *acc, PyObject *value, Py_ssize_t word, int use_or)
{
    PyObject *merged;
    if (word >= 0)
        return acc_add_word(acc, (unsigned long long)word, use_or);
    merged = acc->big == NULL ? (Py_INCREF(value), value)
             : use_or ? PyNumber_Or(acc->big, value) : PyNumber_Add(acc->big, value);
    if (merged == NULL)
        return -1;
    Py_XSETREF(acc->big, merged);
    return 0;
}

/* The value of an accumulator (a new reference; the accumulator is emptied). */
static PyObject *
acc_value(Acc *acc, int use_or)
{
    PyObject *word = PyLong_FromUnsignedLongLong(acc->small), *value;
    if (word == NULL || acc->big == NULL) {
        Py_CLEAR(acc->big);
        return word;
    }
    value = use_or ? PyNumber_Or(acc->big, word) : PyNumber_Add(acc->big, word);
    Py_DECREF(word);
    Py_CLEAR(acc->big);
    return value;
}

typedef struct {
    Py_ssize_t room;  /* the cache takes chunks while it holds fewer than this */
    int shift;
    PyObject *code, *flags;  /* the last chunk's, when it was not kept: owned */
} Tables;

/* One chunk's code and flags (NULL: 0), borrowed until the next lookup, with as_word()
 * of each (flags NULL: 0). */
typedef struct {
    PyObject *code, *flags;
    Py_ssize_t code_word, flags_word;
} Coded;

/* The code and flags of text[s:e], whose str_hash is hash. */
static int
lookup(Tables *t, PyObject *text, Py_ssize_t s, Py_ssize_t e, size_t hash, Coded *out)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    StrEntry *kept = str_get(&cache, kind, data, s, e, hash);
    PyObject *chunk, *new_code, *new_flags;
    Py_ssize_t code_word, flags_word;
    if (kept == NULL) {
        if (!(chunk = PyUnicode_Substring(text, s, e)))
            return -1;
        if (chunk_values(chunk, t->shift, &new_code, &new_flags) < 0) {
            Py_DECREF(chunk);
            return -1;
        }
        code_word = as_word(new_code);
        flags_word = new_flags == NULL ? 0 : as_word(new_flags);
        if (code_word == -2 || flags_word == -2) {
            Py_DECREF(chunk);
            Py_DECREF(new_code);
            Py_XDECREF(new_flags);
            return -1;
        }
        if (cache.used >= t->room) {  /* not kept: held until the next lookup */
            Py_DECREF(chunk);
            Py_XSETREF(t->code, new_code);
            Py_XSETREF(t->flags, new_flags);
            *out = (Coded){new_code, new_flags, code_word, flags_word};
            return 0;
        }
        kept = str_add(&cache, chunk, hash);
        Py_DECREF(chunk);
        if (kept != NULL && kept->value == NULL) {
            kept->value = new_code;
            kept->extra = new_flags;
            kept->number = code_word;
            kept->stamp = flags_word;
        }
        else {  /* an error, or another thread kept it while the expressions ran */
            Py_DECREF(new_code);
            Py_XDECREF(new_flags);
            if (kept == NULL)
                return -1;
        }
    }
    *out = (Coded){kept->value, kept->extra, kept->number, kept->stamp};
    return 0;
}

/* Codes and flags of one text's chunks: appends its head's code sum, its head's flags,
 * its whole flags and its number of chunks to the four lists. */
static int
code_text(Tables *t, PyObject *text, Py_ssize_t cut, PyObject **lists)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), i = 0, count = 0;
    Acc head = {0, NULL}, head_flags = {0, NULL}, whole_flags = {0, NULL};
    PyObject *values[4] = {NULL, NULL, NULL, NULL};
    int ok = -1;
    for (;;) {
        Py_ssize_t s, e;
        size_t hash = STR_HASH_START;  /* str_hash of the chunk, made while finding it */
        Coded c;
        Py_UCS4 ch = 0;
        while (i < n && Py_UNICODE_ISSPACE(ch = PyUnicode_READ(kind, data, i)))
            i++;
        if (i >= n)
            break;
        for (s = i; i < n && !Py_UNICODE_ISSPACE(ch = PyUnicode_READ(kind, data, i)); i++)
            hash = STR_HASH_STEP(hash, ch);
        e = i;
        count++;
        /* a chunk across the cut counts in the head as its first part, and in the
         * whole text as itself; a chunk after the cut only in the whole text */
        if (s < cut && e > cut) {
            if (lookup(t, text, s, cut, str_hash(kind, data, s, cut), &c) < 0)
                goto done;
        }
        else if (lookup(t, text, s, e, hash, &c) < 0)
            goto done;
        if (s < cut && (acc_add(&head, c.code, c.code_word, 0) < 0 ||
                        (c.flags && acc_add(&head_flags, c.flags, c.flags_word, 1) < 0)))
            goto done;
        if (s < cut && e > cut && lookup(t, text, s, e, hash, &c) < 0)
            goto done;
        if (c.flags && acc_add(&whole_flags, c.flags, c.flags_word, 1) < 0)
            goto done;
    }
    values[0] = acc_value(&head, 0);
    values[1] = acc_value(&head_flags, 1);
    values[2] = acc_value(&whole_flags, 1);
    values[3] = PyLong_FromSsize_t(count);
    ok = 0;
    for (int k = 0; k < 4; k++)
        if (values[k] == NULL || PyList_Append(lists[k], values[k]) < 0)
            ok = -1;
done:
    for (int k = 0; k < 4; k++)
        Py_XDECREF(values[k]);
    Py_XDECREF(head.big);
    Py_XDECREF(head_flags.big);
    Py_XDECREF(whole_flags.big);
    return ok;
}

const char text_codes_doc[] =
    "text_codes(texts, cut, room, shift)\n\n"
    "For each text, split on whitespace as str.split() does: the sum of the codes of the\n"
    "chunks of text[:cut], the or of their flags, the or of the flags of the whole text's\n"
    "chunks and their number, as four lists. Chunks are coded as chunk_codes() does and\n"
    "kept in a table of this module while it holds fewer than room chunks.";

PyObject *
text_codes(PyObject *self, PyObject *args)
{
    PyObject *texts, *fast, *lists[4] = {NULL, NULL, NULL, NULL}, *out = NULL;
    Py_ssize_t cut;
    Tables t = {0, 0, NULL, NULL};
    (void)self;
    if (!PyArg_ParseTuple(args, "Onni:text_codes", &texts, &cut, &t.room, &t.shift))
        return NULL;
    if (!cfg.ready) {
        PyErr_SetString(PyExc_RuntimeError, "configure_chunks() first");
        return NULL;
    }
    if (cut < 0 || t.shift < 0 || t.shift > 16) {
        PyErr_SetString(PyExc_ValueError, "cut: not negative; shift: 0 to 16");
        return NULL;
    }
    if (!(fast = PySequence_Fast(texts, "texts: a sequence of str")))
        return NULL;
    for (int k = 0; k < 4; k++)
        if (!(lists[k] = PyList_New(0)))
            goto done;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(fast); i++) {
        PyObject *text = PySequence_Fast_GET_ITEM(fast, i);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "texts are str");
            goto done;
        }
        if (code_text(&t, text, cut, lists) < 0)
            goto done;
    }
    out = PyTuple_Pack(4, lists[0], lists[1], lists[2], lists[3]);
done:
    for (int k = 0; k < 4; k++)
        Py_XDECREF(lists[k]);
    Py_XDECREF(t.code);
    Py_XDECREF(t.flags);
    Py_DECREF(fast);
    return out;
}

const char cached_chunks_doc[] =
    "cached_chunks()\n\nHow many chunks text_codes() keeps coded.";

PyObject *
cached_chunks(PyObject *self, PyObject *args)
{
    (void)self;
    (void)args;
    return PyLong_FromSsize_t(cache.used);
}
