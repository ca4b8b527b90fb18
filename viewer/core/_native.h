/* What the sources of the _native extension share: the functions _native.c puts in the
 * module's method table from the other sources. */
#ifndef VIEWER_NATIVE_H
#define VIEWER_NATIVE_H
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Py_UNICODE_ISALNUM and Py_UNICODE_ISALPHA with ASCII answered here: the macros call up to
 * four functions of the interpreter per character, and nearly all text is ASCII. */
static inline int
fast_isalnum(Py_UCS4 c)
{
    if (c < 128)
        return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    return Py_UNICODE_ISALNUM(c);
}

static inline int
fast_isalpha(Py_UCS4 c)
{
    if (c < 128)
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    return Py_UNICODE_ISALPHA(c);
}

/* M(TYPE) with the character type of a str's storage width (kind): a loop over a text
 * written once for the three of them */
#define BY_KIND(kind, M)                                                                   \
    do {                                                                                   \
        if ((kind) == PyUnicode_1BYTE_KIND)                                                \
            M(Py_UCS1);                                                                    \
        else if ((kind) == PyUnicode_2BYTE_KIND)                                           \
            M(Py_UCS2);                                                                    \
        else                                                                               \
            M(Py_UCS4);                                                                    \
    } while (0)

/* _native.c: shared helpers */
double fsum_exact(const double *xs, Py_ssize_t count, double *partials);  /* count + 1 */
int is_nospace(Py_UCS4 c);  /* a script without spaces (tokens.NOSPACE_RANGES) */
Py_ssize_t span_word_count(int kind, const void *data, Py_ssize_t start, Py_ssize_t end,
                           int nospace);  /* the words of a span, from its word classes */
int span_of(PyObject *span, Py_ssize_t size, Py_ssize_t *start, Py_ssize_t *end);
PyObject *lower_str(PyObject *text);  /* text.lower() of a str, a new reference */

/* _strtable.c: str keys found by the characters of any text slice, no str made to look */
#define STR_INLINE 11  /* ASCII keys up to this long are also kept in their entry */
typedef struct {
    PyObject *key;
    size_t hash;
    PyObject *value, *extra;  /* owned, or NULL: what the user of the table keeps */
    Py_ssize_t number, stamp;
    /* the key's length, and its characters when it is short ASCII (inline_ok): a probe
     * compares them in the entry it has read anyway instead of reading the key object,
     * a second cache miss per lookup in a large table */
    int32_t length;
    unsigned char inline_ok;
    char inline_key[STR_INLINE];
} StrEntry;
/* Entries are kept densely in the order they were added; a small open-addressing index
 * (4 bytes a slot) finds them. A lookup reads the index, which stays in the core's cache,
 * and then one entry; the frequent keys come early, so their entries are close together. */
typedef struct {
    StrEntry *entries;  /* NULL until the first key; moved when the table grows */
    uint32_t *index;    /* 0: an empty slot, else an entry's number + 1 */
    size_t mask;        /* of the index */
    Py_ssize_t used, room;  /* entries */
} StrTable;
#define STR_TABLE_EMPTY {NULL, NULL, 0, 0, 0}
/* FNV-1a over code points; callers scanning a text anyway may hash as they go */
#define STR_HASH_START ((size_t)1469598103934665603ULL)
#define STR_HASH_STEP(h, c) (((h) ^ (size_t)(c)) * (size_t)1099511628211ULL)
size_t str_hash(int kind, const void *data, Py_ssize_t start, Py_ssize_t end);
/* the entry whose key is data[start:end] (hash: str_hash of it), or NULL */
StrEntry *str_get(const StrTable *t, int kind, const void *data, Py_ssize_t start,
                  Py_ssize_t end, size_t hash);
/* the entry of key, added (fields 0) if missing; NULL on error */
StrEntry *str_add(StrTable *t, PyObject *key, size_t hash);
/* a table of the str keys of a set, or of a dict (number: each int value); 0 or -1 */
int str_table_of(StrTable *t, PyObject *keys);
void str_clear(StrTable *t);

/* _features.c: alignment's weighted word sets (alignwords.Features) */
extern const char word_sets_doc[];
PyObject *word_sets(PyObject *self, PyObject *args);
extern const char rank_words_doc[];
PyObject *rank_words(PyObject *self, PyObject *args);
extern const char word_weights_doc[];
PyObject *word_weights(PyObject *self, PyObject *args);
extern const char masses_doc[];
PyObject *masses(PyObject *self, PyObject *args);
extern const char common_mass_doc[];
PyObject *common_mass(PyObject *self, PyObject *args);
extern const char heaviest_chain_doc[];
PyObject *heaviest_chain(PyObject *self, PyObject *args);

/* _chunks.c: codes and flags of whitespace-separated chunks (extraneous_words.py) */
extern const char configure_chunks_doc[];
PyObject *configure_chunks(PyObject *self, PyObject *args);
extern const char chunk_codes_doc[];
PyObject *chunk_codes(PyObject *self, PyObject *args);
extern const char text_codes_doc[];
PyObject *text_codes(PyObject *self, PyObject *args);
extern const char cached_chunks_doc[];
PyObject *cached_chunks(PyObject *self, PyObject *args);

/* _build.c: slotted dataclasses' objects made and read by their slots (a Maker each) */
#define MAX_FIELDS 8
typedef struct {
    PyTypeObject *type;
    Py_ssize_t offsets[MAX_FIELDS];
    Py_ssize_t n;
} Maker;
/* Field k's slot in an instance of the maker's class. */
#define SLOT(m, obj, k) (*(PyObject **)((char *)(obj) + (m)->offsets[k]))
int maker_init(Maker *m, PyObject *type, PyObject *names);  /* 0 or -1 */
PyObject *make(const Maker *m, PyObject *const *values);  /* a new object, or NULL */
int check_instance(const Maker *m, PyObject *obj);  /* 0, or -1 with TypeError */
extern const char instances_doc[];
PyObject *instances(PyObject *self, PyObject *args);
extern const char records_doc[];
PyObject *records(PyObject *self, PyObject *args);
extern const char plain_blocks_doc[];
PyObject *plain_blocks(PyObject *self, PyObject *args);
extern const char records_json_doc[];
PyObject *records_json(PyObject *self, PyObject *args);
extern const char dumps_doc[];
PyObject *dumps(PyObject *self, PyObject *args);

/* _groups.c: the segments and changes of the aligned groups (compare._Builder) */
extern const char configure_builder_doc[];
PyObject *configure_builder(PyObject *self, PyObject *args);
extern const char add_ops_doc[];
PyObject *add_ops(PyObject *self, PyObject *args);
extern const char build_groups_doc[];
PyObject *build_groups(PyObject *self, PyObject *args);
extern const char segment_words_doc[];
PyObject *segment_words(PyObject *self, PyObject *args);
/* _native.c: word_diff() on two str (no argument parsing), a new list or NULL; the op
 * kinds its ops hold, interned once at module init */
PyObject *word_diff_of(PyObject *left, PyObject *right, PyObject *dmp);
extern PyObject *s_equal, *s_insert, *s_delete, *s_replace;

/* _model.c: the detector's binned logistic regressions (extraneous_model.BinnedLogit) and
 * its sentence-end counts (extraneous_features) */
extern const char binned_logits_doc[];
PyObject *binned_logits(PyObject *self, PyObject *args);
extern const char sentence_ends_doc[];
PyObject *sentence_ends(PyObject *self, PyObject *args);

/* _process.c: settings of a one-shot command line process */
extern const char quiet_clock_doc[];
PyObject *quiet_clock(PyObject *self, PyObject *arg);
extern const char tune_malloc_doc[];
PyObject *tune_malloc(PyObject *self, PyObject *args);

#endif
