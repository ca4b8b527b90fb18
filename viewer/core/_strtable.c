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

static StrEntry *
str_find(const StrTable *t, int kind, const void *data, Py_ssize_t start, Py_ssize_t end,
         size_t hash)
{
    Py_ssize_t n = end - start;
    for (size_t i = hash & t->mask;; i = (i + 1) & t->mask) {
        StrEntry *e = &t->slots[i];
        int key_kind;
        const void *key_data;
        Py_ssize_t k = 0;
        if (e->key == NULL)
            return e;
        if (e->hash != hash || e->length != n)
            continue;
        if (e->inline_ok) {
            if (kind == PyUnicode_1BYTE_KIND) {
                if (memcmp(e->inline_key, (const Py_UCS1 *)data + start, (size_t)n) == 0)
                    return e;
                continue;
            }
            while (k < n && (Py_UCS4)(unsigned char)e->inline_key[k] ==
                                PyUnicode_READ(kind, data, start + k))
                k++;
            if (k == n)
                return e;
            continue;
        }
        key_kind = PyUnicode_KIND(e->key);
        key_data = PyUnicode_DATA(e->key);
        while (k < n &&
               PyUnicode_READ(key_kind, key_data, k) == PyUnicode_READ(kind, data, start + k))
            k++;
        if (k == n)
            return e;
    }
}

StrEntry *
str_get(const StrTable *t, int kind, const void *data, Py_ssize_t start, Py_ssize_t end,
        size_t hash)
{
    StrEntry *e;
    if (t->slots == NULL)
        return NULL;
    e = str_find(t, kind, data, start, end, hash);
    return e->key != NULL ? e : NULL;
}

static int
str_reserve(StrTable *t)
{
    size_t old_size = t->slots == NULL ? 0 : t->mask + 1;
    size_t size = old_size == 0 ? 1024 : 2 * old_size;
    StrEntry *old = t->slots, *fresh;
    if ((size_t)(t->used + 1) * 2 <= old_size)
        return 0;
    if (!(fresh = PyMem_RawCalloc(size, sizeof(StrEntry)))) {
        PyErr_NoMemory();
        return -1;
    }
    for (size_t i = 0; i < old_size; i++)
        if (old[i].key != NULL) {
            size_t j = old[i].hash & (size - 1);
            while (fresh[j].key != NULL)
                j = (j + 1) & (size - 1);
            fresh[j] = old[i];
        }
    PyMem_RawFree(old);
    t->slots = fresh;
    t->mask = size - 1;
    return 0;
}

StrEntry *
str_add(StrTable *t, PyObject *key, size_t hash)
{
    StrEntry *e;
    if (str_reserve(t) < 0)
        return NULL;
    e = str_find(t, PyUnicode_KIND(key), PyUnicode_DATA(key), 0, PyUnicode_GET_LENGTH(key), hash);
    if (e->key == NULL) {
        Py_ssize_t n = PyUnicode_GET_LENGTH(key);
        if (n > INT32_MAX) {
            PyErr_SetString(PyExc_OverflowError, "a key too long for the table");
            return NULL;
        }
        *e = (StrEntry){Py_NewRef(key), hash, NULL, NULL, 0, 0, (int32_t)n, 0, {0}};
        if (PyUnicode_IS_ASCII(key) && n <= STR_INLINE) {
            memcpy(e->inline_key, PyUnicode_DATA(key), (size_t)n);
            e->inline_ok = 1;
        }
        t->used++;
    }
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
    if (t->slots != NULL)
        for (size_t i = 0; i <= t->mask; i++) {
            Py_XDECREF(t->slots[i].key);
            Py_XDECREF(t->slots[i].value);
            Py_XDECREF(t->slots[i].extra);
        }
    PyMem_RawFree(t->slots);
    *t = (StrTable){NULL, 0, 0};
}
