/* A hash table of str keys that is searched with the characters of any slice of any text:
 * a key is found without making a str of the slice. The detector's stopwords, trigger
 * prefixes and chunk codes (_chunks.c) and alignment's vocabulary (_features.c) use it.
 * Keys compare by code point, whatever the kind (1, 2 or 4 bytes) of either string.
 */
#include "_native.h"

size_t
str_hash(int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    size_t h = STR_HASH_START;
    for (Py_ssize_t i = start; i < end; i++)
        h = STR_HASH_STEP(h, PyUnicode_READ(kind, data, i));
    return h;
}

/* 1 if the entry's key is data[start:start + n] (its hash and length already match). */
static int
same_key(const StrEntry *e, int kind, const void *data, Py_ssize_t start, Py_ssize_t n)
{
    Py_ssize_t k = 0;
    if (e->inline_ok) {
        if (kind == PyUnicode_1BYTE_KIND)
            return memcmp(e->inline_key, (const Py_UCS1 *)data + start, (size_t)n) == 0;
        while (k < n &&
               (Py_UCS4)(unsigned char)e->inline_key[k] == PyUnicode_READ(kind, data, start + k))
            k++;
        return k == n;
    }
    int key_kind = PyUnicode_KIND(e->key);
    const void *key_data = PyUnicode_DATA(e->key);
    while (k < n &&
           PyUnicode_READ(key_kind, key_data, k) == PyUnicode_READ(kind, data, start + k))
        k++;
    return k == n;
}

/* The index slot of the key data[start:end]: its entry's, or the empty one where it goes. */
static size_t
str_slot(const StrTable *t, int kind, const void *data, Py_ssize_t start, Py_ssize_t end,
         size_t hash)
{
    Py_ssize_t n = end - start;
    for (size_t i = hash & t->mask;; i = (i + 1) & t->mask) {
        uint32_t k = t->index[i];
        const StrEntry *e;
        if (k == 0)
            return i;
        e = &t->entries[k - 1];
        if (e->hash == hash && e->length == n && same_key(e, kind, data, start, n))
            return i;
    }
}

StrEntry *
str_get(const StrTable *t, int kind, const void *data, Py_ssize_t start, Py_ssize_t end,
        size_t hash)
{
    uint32_t k;
    if (t->entries == NULL)
        return NULL;
    k = t->index[str_slot(t, kind, data, start, end, hash)];
    return k ? &t->entries[k - 1] : NULL;
}

/* Room for one more entry, with the index at most half full. */
static int
str_reserve(StrTable *t)
{
    size_t size;
    uint32_t *index;
    if (t->used == t->room) {
        Py_ssize_t room = t->room ? 2 * t->room : 512;
        StrEntry *grown;
        if (room > (Py_ssize_t)UINT32_MAX - 1) {
            PyErr_SetString(PyExc_OverflowError, "too many keys for the table");
            return -1;
        }
        if (!(grown = PyMem_RawRealloc(t->entries, (size_t)room * sizeof(StrEntry)))) {
            PyErr_NoMemory();
            return -1;
        }
        t->entries = grown;
        t->room = room;
    }
    if (t->index != NULL && (size_t)(t->used + 1) * 2 <= t->mask + 1)
        return 0;
    size = t->index == NULL ? 1024 : 2 * (t->mask + 1);
    if (!(index = PyMem_RawCalloc(size, sizeof(uint32_t)))) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t j = 0; j < t->used; j++) {
        size_t i = t->entries[j].hash & (size - 1);
        while (index[i] != 0)
            i = (i + 1) & (size - 1);
        index[i] = (uint32_t)(j + 1);
    }
    PyMem_RawFree(t->index);
    t->index = index;
    t->mask = size - 1;
    return 0;
}

StrEntry *
str_add(StrTable *t, PyObject *key, size_t hash)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(key);
    size_t slot;
    StrEntry *e;
    if (str_reserve(t) < 0)
        return NULL;
    slot = str_slot(t, PyUnicode_KIND(key), PyUnicode_DATA(key), 0, n, hash);
    if (t->index[slot] != 0)
        return &t->entries[t->index[slot] - 1];
    if (n > INT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "a key too long for the table");
        return NULL;
    }
    e = &t->entries[t->used];
    *e = (StrEntry){Py_NewRef(key), hash, NULL, NULL, 0, 0, (int32_t)n, 0, {0}};
    if (PyUnicode_IS_ASCII(key) && n <= STR_INLINE) {
        memcpy(e->inline_key, PyUnicode_DATA(key), (size_t)n);
        e->inline_ok = 1;
    }
    t->index[slot] = (uint32_t)++t->used;
    return e;
}

int
str_table_of(StrTable *t, PyObject *keys)
{
    PyObject *iter = PyObject_GetIter(keys), *key;
    int ok = 0;
    if (iter == NULL)
        return -1;
    while (ok == 0 && (key = PyIter_Next(iter))) {
        StrEntry *e = NULL;
        if (PyUnicode_Check(key) &&
            (e = str_add(t, key, str_hash(PyUnicode_KIND(key), PyUnicode_DATA(key), 0,
                                          PyUnicode_GET_LENGTH(key)))) == NULL)
            ok = -1;
        if (e != NULL && PyDict_Check(keys)) {
            PyObject *value = PyDict_GetItemWithError(keys, key);
            if (value == NULL || ((e->number = PyLong_AsSsize_t(value)) == -1 && PyErr_Occurred()))
                ok = -1;
        }
        Py_DECREF(key);
    }
    Py_DECREF(iter);
    return ok == 0 && !PyErr_Occurred() ? 0 : -1;
}

void
str_clear(StrTable *t)
{
    for (Py_ssize_t j = 0; j < t->used; j++) {
        Py_XDECREF(t->entries[j].key);
        Py_XDECREF(t->entries[j].value);
        Py_XDECREF(t->entries[j].extra);
    }
    PyMem_RawFree(t->entries);
    PyMem_RawFree(t->index);
    *t = (StrTable)STR_TABLE_EMPTY;
}
