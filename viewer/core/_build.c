/* Any slotted dataclass's instances from rows of field values (instances()), its
 * instances' fields as dicts (records()) or as JSON (records_json(), with the JSON writer
 * dumps()), and plain text's lines as blocks (plain_blocks()).
 *
 * A 1 MB pair has thousands of blocks and groups: frozen dataclasses whose generated
 * __init__ sets each field through object.__setattr__, in Python. Here they are allocated
 * with their type's allocator and their fields stored in their slots, as __init__ would
 * store them (the dataclasses declare no __post_init__ and no defaults that matter: every
 * field is given). A Maker takes the field names from dataclasses.fields() and finds each
 * slot through its member descriptor, so nothing about the model is written here; the
 * Python code is the reference and tests check that both give equal objects. _groups.c
 * builds segments and changes with the same makers.
 */
#include "_native.h"
#include <structmember.h>

/* The slot offsets of a slotted class's fields, in the order of names. */
int
maker_init(Maker *m, PyObject *type, PyObject *names)
{
    PyObject *fast;
    if (!PyType_Check(type)) {
        PyErr_SetString(PyExc_TypeError, "a class");
        return -1;
    }
    if (PyObject_HasAttrString(type, "__post_init__")) {
        PyErr_SetString(PyExc_ValueError, "a class with __post_init__ needs its __init__");
        return -1;
    }
    if (!(fast = PySequence_Fast(names, "field names: a sequence of str")))
        return -1;
    m->n = PySequence_Fast_GET_SIZE(fast);
    if (m->n > MAX_FIELDS) {
        Py_DECREF(fast);
        PyErr_SetString(PyExc_ValueError, "too many fields");
        return -1;
    }
    for (Py_ssize_t i = 0; i < m->n; i++) {
        PyObject *descr = PyObject_GetAttr(type, PySequence_Fast_GET_ITEM(fast, i));
        int ok;
        if (descr == NULL) {
            Py_DECREF(fast);
            return -1;
        }
        ok = Py_IS_TYPE(descr, &PyMemberDescr_Type) &&
             ((PyMemberDescrObject *)descr)->d_member->type == T_OBJECT_EX &&
             !(((PyMemberDescrObject *)descr)->d_member->flags & READONLY);
        if (ok)
            m->offsets[i] = ((PyMemberDescrObject *)descr)->d_member->offset;
        Py_DECREF(descr);
        if (!ok) {
            Py_DECREF(fast);
            PyErr_SetString(PyExc_TypeError, "every field must be a slot");
            return -1;
        }
    }
    Py_DECREF(fast);
    Py_INCREF(type);
    Py_XSETREF(m->type, (PyTypeObject *)type);
    return 0;
}

/* A new object of the maker's class with these field values (borrowed). */
PyObject *
make(const Maker *m, PyObject *const *values)
{
    PyObject *obj = m->type->tp_alloc(m->type, 0);
    if (obj == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < m->n; i++) {
        Py_INCREF(values[i]);
        SLOT(m, obj, i) = values[i];
    }
    return obj;
}

const char instances_doc[] =
    "instances(cls, names, rows) -> list\n\n"
    "cls(*row) for each row (a tuple with a value for every field, in the order of\n"
    "names, as dataclasses.fields() gives them), for a slotted dataclass without\n"
    "__post_init__: the objects its generated __init__ would make, without running it.";

PyObject *
instances(PyObject *self, PyObject *args)
{
    PyObject *type, *names, *rows, *fast, *out;
    Maker maker = {NULL, {0}, 0};
    (void)self;
    if (!PyArg_ParseTuple(args, "OOO:instances", &type, &names, &rows))
        return NULL;
    if (maker_init(&maker, type, names) < 0)
        return NULL;
    if (!(fast = PySequence_Fast(rows, "rows: a sequence of tuples"))) {
        Py_DECREF(maker.type);
        return NULL;
    }
    out = PyList_New(PySequence_Fast_GET_SIZE(fast));
    for (Py_ssize_t i = 0; out != NULL && i < PySequence_Fast_GET_SIZE(fast); i++) {
        PyObject *row = PySequence_Fast_GET_ITEM(fast, i), *obj;
        if (!PyTuple_Check(row) || PyTuple_GET_SIZE(row) != maker.n) {
            PyErr_Format(PyExc_TypeError, "rows are tuples of %zd values", maker.n);
            Py_CLEAR(out);
            break;
        }
        if (!(obj = make(&maker, &PyTuple_GET_ITEM(row, 0)))) {
            Py_CLEAR(out);
            break;
        }
        PyList_SET_ITEM(out, i, obj);
    }
    Py_DECREF(fast);
    Py_DECREF(maker.type);
    return out;
}

/* 0 when obj is an instance of the maker's class, else -1 with TypeError. */
int
check_instance(const Maker *m, PyObject *obj)
{
    if (PyObject_TypeCheck(obj, m->type))
        return 0;
    PyErr_Format(PyExc_TypeError, "records of %s objects only", m->type->tp_name);
    return -1;
}

/* Field k of an instance (borrowed), or NULL with AttributeError naming it (keys: the
 * field names) when its slot is empty. */
static PyObject *
field_value(const Maker *m, PyObject *obj, PyObject *keys, Py_ssize_t k)
{
    PyObject *value = SLOT(m, obj, k);
    if (value == NULL)
        PyErr_Format(PyExc_AttributeError, "%R has no value", PyTuple_GET_ITEM(keys, k));
    return value;
}

const char records_doc[] =
    "records(cls, names, objects) -> list\n\n"
    "{name: getattr(obj, name) for name in names} for each obj, an instance of the\n"
    "slotted dataclass cls whose fields are names: its fields read straight from their\n"
    "slots. orjson writes such dicts three times faster than the dataclasses themselves.";

PyObject *
records(PyObject *self, PyObject *args)
{
    PyObject *type, *names, *objects, *fast, *keys, *out;
    Maker maker = {NULL, {0}, 0};
    (void)self;
    if (!PyArg_ParseTuple(args, "OOO:records", &type, &names, &objects))
        return NULL;
    if (maker_init(&maker, type, names) < 0)
        return NULL;
    keys = PySequence_Tuple(names);
    fast = keys ? PySequence_Fast(objects, "objects: a sequence") : NULL;
    out = fast ? PyList_New(PySequence_Fast_GET_SIZE(fast)) : NULL;
    for (Py_ssize_t i = 0; out != NULL && i < PySequence_Fast_GET_SIZE(fast); i++) {
        PyObject *obj = PySequence_Fast_GET_ITEM(fast, i), *record;
        if (check_instance(&maker, obj) < 0 || !(record = _PyDict_NewPresized(maker.n))) {
            Py_CLEAR(out);
            break;
        }
        PyList_SET_ITEM(out, i, record);
        for (Py_ssize_t k = 0; k < maker.n; k++) {
            PyObject *value = field_value(&maker, obj, keys, k);
            if (value == NULL || PyDict_SetItem(record, PyTuple_GET_ITEM(keys, k), value) < 0) {
                Py_CLEAR(out);
                break;
            }
        }
    }
    Py_XDECREF(fast);
    Py_XDECREF(keys);
    Py_DECREF(maker.type);
    return out;
}

/* A growing buffer of bytes: a bytes object of room bytes, used of them written (one
 * resize at the end gives the result without a copy), or plain memory (bytes NULL). */
typedef struct {
    char *data;
    size_t used, room;
    PyObject *bytes;
} Out;

static int
out_room(Out *o, size_t more)
{
    size_t room;
    if (o->used + more <= o->room)
        return 0;
    room = o->room ? o->room : 4096;
    while (room < o->used + more)
        room *= 2;
    if (o->bytes != NULL) {
        if (_PyBytes_Resize(&o->bytes, (Py_ssize_t)room) < 0)
            return -1;
        o->data = PyBytes_AS_STRING(o->bytes);
    }
    else {
        char *data = PyMem_Realloc(o->data, room);
        if (data == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        o->data = data;
    }
    o->room = room;
    return 0;
}

static int
out_bytes(Out *o, const char *s, size_t n)
{
    if (out_room(o, n) < 0)
        return -1;
    memcpy(o->data + o->used, s, n);
    o->used += n;
    return 0;
}

/* A str as orjson writes it: UTF-8 between quotes; '"', '\\' and the C0 controls escaped
 * (\b \t \n \f \r, else \u00xx); a lone surrogate is refused (ValueError), as orjson
 * refuses it. */
/* One character, not plain ASCII, as orjson writes it (room for 6 bytes reserved). */
static int
out_char(Out *o, Py_UCS4 c)
{
    static const char hex[] = "0123456789abcdef";
    char *p = o->data + o->used;
    if (c < 0x80) {
        *p++ = '\\';
        switch (c) {
        case '"': *p++ = '"'; break;
        case '\\': *p++ = '\\'; break;
        case '\b': *p++ = 'b'; break;
        case '\t': *p++ = 't'; break;
        case '\n': *p++ = 'n'; break;
        case '\f': *p++ = 'f'; break;
        case '\r': *p++ = 'r'; break;
        default:
            *p++ = 'u';
            *p++ = '0';
            *p++ = '0';
            *p++ = hex[c >> 4];
            *p++ = hex[c & 15];
        }
    }
    else if (c < 0x800) {
        *p++ = (char)(0xc0 | (c >> 6));
        *p++ = (char)(0x80 | (c & 0x3f));
    }
    else if (c < 0x10000) {
        if (c >= 0xd800 && c <= 0xdfff) {
            PyErr_SetString(PyExc_ValueError, "a lone surrogate: not valid UTF-8");
            return -1;
        }
        *p++ = (char)(0xe0 | (c >> 12));
        *p++ = (char)(0x80 | ((c >> 6) & 0x3f));
        *p++ = (char)(0x80 | (c & 0x3f));
    }
    else {
        *p++ = (char)(0xf0 | (c >> 18));
        *p++ = (char)(0x80 | ((c >> 12) & 0x3f));
        *p++ = (char)(0x80 | ((c >> 6) & 0x3f));
        *p++ = (char)(0x80 | (c & 0x3f));
    }
    o->used = (size_t)(p - o->data);
    return 0;
}

/* The characters of one storage width: plain ASCII stored as it is, the rest by
 * out_char (room: 6 bytes a character at most, reserved by the caller). */
#define OUT_CHARS(TYPE)                                                                    \
    do {                                                                                   \
        const TYPE *src = data;                                                            \
        for (Py_ssize_t i = 0; i < n; i++) {                                               \
            Py_UCS4 c = src[i];                                                            \
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\')                            \
                o->data[o->used++] = (char)c;                                              \
            else if (out_char(o, c) < 0)                                                   \
                return -1;                                                                 \
        }                                                                                  \
    } while (0)

/* A str as orjson writes it: UTF-8 between quotes; '"', '\\' and the C0 controls escaped
 * (\b \t \n \f \r, else \u00xx); a lone surrogate is refused (ValueError), as orjson
 * refuses it. */
static int
out_str(Out *o, PyObject *s)
{
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    if (out_room(o, (size_t)n * 6 + 2) < 0)
        return -1;
    o->data[o->used++] = '"';
    BY_KIND(kind, OUT_CHARS);
    o->data[o->used++] = '"';
    return 0;
}

static int
out_int(Out *o, PyObject *v)
{
    char buf[24], *p = buf + sizeof buf;
    long long x = PyLong_AsLongLong(v);
    unsigned long long u;
    if (x == -1 && PyErr_Occurred())
        return -1;  /* (an int beyond 64 bits: the caller falls back) */
    u = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
    do
        *--p = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (x < 0)
        *--p = '-';
    return out_bytes(o, p, (size_t)(buf + sizeof buf - p));
}

/* A finite float as orjson writes it: repr's digits. orjson writes exponents its own way
 * (1e-05 as 0.00001): those, inf and nan are refused (TypeError) for the caller's fallback.
 * digits >= 0: rounded first, as round(v, digits). */
static int
out_float(Out *o, PyObject *v, int digits)
{
    static PyObject *round_name = NULL;
    PyObject *rounded = NULL;
    char *s;
    double d;
    int ok;
    if (digits >= 0) {
        PyObject *n;
        if (round_name == NULL && !(round_name = PyUnicode_InternFromString("__round__")))
            return -1;
        if (!(n = PyLong_FromLong(digits)))
            return -1;
        rounded = PyObject_CallMethodOneArg(v, round_name, n);
        Py_DECREF(n);
        if (rounded == NULL)
            return -1;
        if (!PyFloat_Check(rounded)) {
            Py_DECREF(rounded);
            PyErr_SetString(PyExc_TypeError, "__round__ gave no float");
            return -1;
        }
        v = rounded;
    }
    d = PyFloat_AS_DOUBLE(v);
    Py_XDECREF(rounded);
    if (!isfinite(d)) {
        PyErr_SetString(PyExc_TypeError, "a float that is not finite");
        return -1;
    }
    if (!(s = PyOS_double_to_string(d, 'r', 0, Py_DTSF_ADD_DOT_0, NULL)))
        return -1;
    if (strchr(s, 'e') != NULL) {
        PyMem_Free(s);
        PyErr_SetString(PyExc_TypeError, "a float with an exponent");
        return -1;
    }
    ok = out_bytes(o, s, strlen(s));
    PyMem_Free(s);
    return ok;
}

/* How out_value writes what it is given. */
typedef struct {
    PyObject *fallback;  /* default(value) -> bytes for other values, or Py_None */
    int digits;          /* floats rounded to this many decimals; -1: as they are */
    int depth;
    PyObject *parts;     /* a list: large fragments go there as they are, not copied */
} Style;

#define PART_MIN 65536  /* a fragment this large is a part of its own */

/* The bytes written so far as a part, then the fragment v, and a new buffer. */
static int
out_part(Out *o, PyObject *v, PyObject *parts)
{
    if (_PyBytes_Resize(&o->bytes, (Py_ssize_t)o->used) < 0 || PyList_Append(parts, o->bytes) < 0)
        return -1;
    Py_CLEAR(o->bytes);
    if (PyList_Append(parts, v) < 0 || !(o->bytes = PyBytes_FromStringAndSize(NULL, 4096)))
        return -1;
    o->data = PyBytes_AS_STRING(o->bytes);
    o->used = 0;
    o->room = 4096;
    return 0;
}

#define MAX_DEPTH 64

/* A value as orjson writes it: str, int (64 bits; not bool), float (out_float), None,
 * bool, tuple and list as arrays, dict with str keys as an object, bytes written as they
 * are (JSON already, as orjson.Fragment); anything else as the bytes default(value) gives,
 * or refused (TypeError) without a default. */
static int
out_value(Out *o, PyObject *v, Style *style)
{
    if (PyUnicode_Check(v))
        return out_str(o, v);
    if (PyBool_Check(v))
        return out_bytes(o, v == Py_True ? "true" : "false", v == Py_True ? 4 : 5);
    if (PyLong_Check(v))
        return out_int(o, v);
    if (v == Py_None)
        return out_bytes(o, "null", 4);
    if (PyFloat_Check(v))
        return out_float(o, v, style->digits);
    if (PyBytes_Check(v)) {
        if (style->parts != NULL && PyBytes_GET_SIZE(v) >= PART_MIN)
            return out_part(o, v, style->parts);
        return out_bytes(o, PyBytes_AS_STRING(v), (size_t)PyBytes_GET_SIZE(v));
    }
    if (PyTuple_Check(v) || PyList_Check(v) || PyDict_Check(v)) {
        int ok = -1;
        if (++style->depth > MAX_DEPTH) {
            PyErr_SetString(PyExc_TypeError, "nested too deeply");
            return -1;
        }
        if (PyDict_Check(v)) {
            PyObject *key, *value;
            Py_ssize_t pos = 0;
            int first = 1;
            if (out_bytes(o, "{", 1) < 0)
                return -1;
            while (PyDict_Next(v, &pos, &key, &value)) {
                if (!PyUnicode_CheckExact(key)) {
                    PyErr_SetString(PyExc_TypeError, "a dict key that is not str");
                    return -1;
                }
                int bad;
                Py_INCREF(key);  /* (default() may run Python code) */
                Py_INCREF(value);
                bad = (!first && out_bytes(o, ",", 1) < 0) || out_str(o, key) < 0 ||
                      out_bytes(o, ":", 1) < 0 || out_value(o, value, style) < 0;
                Py_DECREF(key);
                Py_DECREF(value);
                if (bad)
                    return -1;
                first = 0;
            }
            ok = out_bytes(o, "}", 1);
        }
        else {
            PyObject *fast = PySequence_Fast(v, "a sequence");  /* (a new reference) */
            if (fast == NULL || out_bytes(o, "[", 1) < 0) {
                Py_XDECREF(fast);
                return -1;
            }
            ok = 0;
            for (Py_ssize_t k = 0; ok == 0 && k < PySequence_Fast_GET_SIZE(fast); k++)
                if ((k && out_bytes(o, ",", 1) < 0) ||
                    out_value(o, PySequence_Fast_GET_ITEM(fast, k), style) < 0)
                    ok = -1;
            Py_DECREF(fast);
            if (ok == 0)
                ok = out_bytes(o, "]", 1);
        }
        style->depth--;
        return ok;
    }
    if (style->fallback != Py_None) {
        PyObject *written = PyObject_CallOneArg(style->fallback, v);
        int ok;
        if (written == NULL)
            return -1;
        if (!PyBytes_Check(written)) {
            Py_DECREF(written);
            PyErr_SetString(PyExc_TypeError, "default returns bytes");
            return -1;
        }
        ok = out_bytes(o, PyBytes_AS_STRING(written), (size_t)PyBytes_GET_SIZE(written));
        Py_DECREF(written);
        return ok;
    }
    PyErr_Format(PyExc_TypeError, "no JSON written for %s", Py_TYPE(v)->tp_name);
    return -1;
}

/* About how many bytes dumps writes of v: fragments (bytes) and texts counted whole, so
 * that the buffer of a large document is seldom resized. */
static size_t
guess_size(PyObject *v, int depth, int parts)
{
    size_t size = 8;
    if (PyBytes_Check(v))
        return parts && PyBytes_GET_SIZE(v) >= PART_MIN ? 0 : (size_t)PyBytes_GET_SIZE(v);
    if (PyUnicode_Check(v))
        return (size_t)PyUnicode_GET_LENGTH(v) + 2;
    if (depth > MAX_DEPTH)
        return size;
    if (PyDict_Check(v)) {
        PyObject *key, *value;
        Py_ssize_t pos = 0;
        while (PyDict_Next(v, &pos, &key, &value))
            size += guess_size(key, depth + 1, parts) + guess_size(value, depth + 1, parts) + 2;
    }
    else if (PyTuple_Check(v) || PyList_Check(v)) {
        for (Py_ssize_t k = 0; k < Py_SIZE(v); k++)
            size += guess_size(PyTuple_Check(v) ? PyTuple_GET_ITEM(v, k) : PyList_GET_ITEM(v, k),
                               depth + 1, parts) + 1;
    }
    return size;
}

const char dumps_doc[] =
    "dumps(value, newline=False, parts=False) -> bytes, or a list of bytes\n\n"
    "orjson.dumps(value) (with OPT_APPEND_NEWLINE: newline), written here for str, int, float,\n"
    "None, bool, tuple, list and dict with str keys; bytes are written as they are (JSON\n"
    "already, as orjson.Fragment). TypeError for any other value and for the floats orjson\n"
    "writes otherwise than repr (exponents, inf, nan); OverflowError for an int beyond 64\n"
    "bits; ValueError for a lone surrogate. Each refusal is orjson's own or leaves the\n"
    "caller to ask orjson. With parts, the same bytes as a list whose concatenation they\n"
    "are, bytes of 64 KiB or more given as they are (for os.writev: no copy).";

PyObject *
dumps(PyObject *self, PyObject *args)
{
    PyObject *value, *out = NULL;
    int newline = 0, parts = 0;
    Out o = {NULL, 0, 0, NULL};
    Style style = {Py_None, -1, 0, NULL};
    (void)self;
    if (!PyArg_ParseTuple(args, "O|pp:dumps", &value, &newline, &parts))
        return NULL;
    if (parts && !(style.parts = PyList_New(0)))
        return NULL;
    o.room = guess_size(value, 0, parts) + 64;
    if (!(o.bytes = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)o.room)))
        goto done;
    o.data = PyBytes_AS_STRING(o.bytes);
    if (out_value(&o, value, &style) < 0 || (newline && out_bytes(&o, "\n", 1) < 0) ||
        _PyBytes_Resize(&o.bytes, (Py_ssize_t)o.used) < 0)
        goto done;
    if (!parts)
        out = Py_NewRef(o.bytes);
    else if (PyList_Append(style.parts, o.bytes) == 0)
        out = Py_NewRef(style.parts);
done:
    Py_XDECREF(o.bytes);
    Py_XDECREF(style.parts);
    return out;
}

const char records_json_doc[] =
    "records_json(cls, names, objects, omit=(), default=None, digits=-1) -> bytes\n\n"
    "orjson.dumps(records(cls, names, objects)), written here: the objects' fields as JSON\n"
    "objects in field order, their values as dumps writes them, floats rounded to\n"
    "digits decimals first (round(value, digits)) where digits >= 0; default(value) gives\n"
    "the JSON bytes of any other value (else TypeError). Fields named in omit are left out\n"
    "where their value is false (0). ValueError for a lone surrogate, which orjson refuses\n"
    "too.";

PyObject *
records_json(PyObject *self, PyObject *args)
{
    PyObject *type, *names, *objects, *omit = NULL, *fallback = Py_None;
    PyObject *fast = NULL, *keys = NULL, *out = NULL;
    Style style = {Py_None, -1, 0, NULL};
    Maker maker = {NULL, {0}, 0};
    Out o = {NULL, 0, 0, NULL}, heads = {NULL, 0, 0, NULL};  /* heads: each '"key":' */
    size_t guess = 2;
    size_t head_at[MAX_FIELDS + 1];
    int omitted[MAX_FIELDS] = {0};
    (void)self;
    if (!PyArg_ParseTuple(args, "OOO|OOi:records_json", &type, &names, &objects, &omit, &fallback,
                          &style.digits))
        return NULL;
    style.fallback = fallback;
    if (maker_init(&maker, type, names) < 0)
        return NULL;
    if (!(keys = PySequence_Tuple(names)) || !(fast = PySequence_Fast(objects, "objects: a sequence")))
        goto done;
    /* room guessed from the fields' texts (UTF-8 takes up to 3 bytes a BMP character),
     * so that the buffer is seldom resized */
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(fast); i++) {
        PyObject *obj = PySequence_Fast_GET_ITEM(fast, i);
        guess += 16 * (size_t)maker.n + 2;
        if (!PyObject_TypeCheck(obj, maker.type))
            continue;  /* (refused below) */
        for (Py_ssize_t k = 0; k < maker.n; k++) {
            PyObject *value = SLOT(&maker, obj, k);
            if (value != NULL && PyUnicode_Check(value))
                guess += (size_t)PyUnicode_GET_LENGTH(value) * (PyUnicode_IS_ASCII(value) ? 1 : 3);
        }
    }
    if (!(o.bytes = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)guess)))
        goto done;
    o.data = PyBytes_AS_STRING(o.bytes);
    o.room = guess;
    if (out_bytes(&o, "[", 1) < 0)
        goto done;
    for (Py_ssize_t k = 0; k < maker.n; k++) {  /* each '"key":' (a comma before the value) */
        head_at[k] = heads.used;
        if (!PyUnicode_Check(PyTuple_GET_ITEM(keys, k))) {
            PyErr_SetString(PyExc_TypeError, "names are str");
            goto done;
        }
        if (omit != NULL && (omitted[k] = PySequence_Contains(omit, PyTuple_GET_ITEM(keys, k))) < 0)
            goto done;
        if (out_str(&heads, PyTuple_GET_ITEM(keys, k)) < 0 || out_bytes(&heads, ":", 1) < 0)
            goto done;
    }
    head_at[maker.n] = heads.used;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(fast); i++) {
        PyObject *obj = PySequence_Fast_GET_ITEM(fast, i);
        if (check_instance(&maker, obj) < 0 || out_bytes(&o, i ? ",{" : "{", i ? 2 : 1) < 0)
            goto done;
        for (Py_ssize_t k = 0, written = 0; k < maker.n; k++) {
            PyObject *value = field_value(&maker, obj, keys, k);
            int skip;
            if (value == NULL)
                goto done;
            if (omitted[k] && (skip = PyObject_Not(value)) != 0) {
                if (skip < 0)
                    goto done;
                continue;
            }
            if ((written++ && out_bytes(&o, ",", 1) < 0) ||
                out_bytes(&o, heads.data + head_at[k], head_at[k + 1] - head_at[k]) < 0 ||
                out_value(&o, value, &style) < 0)
                goto done;
        }
        if (out_bytes(&o, "}", 1) < 0)
            goto done;
    }
    if (out_bytes(&o, "]", 1) == 0 && _PyBytes_Resize(&o.bytes, (Py_ssize_t)o.used) == 0)
        out = Py_NewRef(o.bytes);
done:
    Py_XDECREF(o.bytes);
    PyMem_Free(heads.data);
    Py_XDECREF(fast);
    Py_XDECREF(keys);
    Py_DECREF(maker.type);
    return out;
}

const char plain_blocks_doc[] =
    "plain_blocks(cls, names, text) -> (joined, blocks) or None\n\n"
    "loading's plain-text blocks where no paragraph can be hard-wrapped: each line of text\n"
    "stripped (str.strip), the non-empty ones as cls(id, start, end, line, 'paragraph', 0,\n"
    "None) in the text they make joined by newlines, and that text (text itself where it is\n"
    "that already: no copy). None when the file has\n"
    "two or more runs of lines between blank lines and at least half of them span several\n"
    "lines: loading._is_hard_wrapped decides those.";

PyObject *
plain_blocks(PyObject *self, PyObject *args)
{
    PyObject *type, *names, *text, *paragraph = NULL, *zero = NULL, *lines = NULL, *out = NULL;
    PyObject *joined = NULL, *blocks = NULL, *newline = NULL;
    Maker maker = {NULL, {0}, 0};
    Py_ssize_t n, chunks = 0, multi = 0, run = 0, start = 0;
    int kind, canonical = 1;  /* every line non-empty and stripped: joined is the text */
    const void *data;
    (void)self;
    if (!PyArg_ParseTuple(args, "OOU:plain_blocks", &type, &names, &text))
        return NULL;
    if (maker_init(&maker, type, names) < 0)
        return NULL;
    if (maker.n != 7) {
        PyErr_SetString(PyExc_ValueError, "a block has 7 fields");
        goto done;
    }
    kind = PyUnicode_KIND(text);
    data = PyUnicode_DATA(text);
    n = PyUnicode_GET_LENGTH(text);
    if (!(lines = PyList_New(0)))
        goto done;
    /* each line's stripped text; runs of non-empty lines counted as chunks */
    for (Py_ssize_t i = 0; i <= n;) {
        Py_ssize_t end = i, a, b;
        while (end < n && PyUnicode_READ(kind, data, end) != '\n')
            end++;
        for (a = i; a < end && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, a));)
            a++;
        for (b = end; b > a && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, b - 1));)
            b--;
        if (a != i || b != end)
            canonical = 0;
        if (b > a) {
            PyObject *line = PyUnicode_Substring(text, a, b);
            int failed = line == NULL || PyList_Append(lines, line) < 0;
            Py_XDECREF(line);
            if (failed)
                goto done;
            if (run++ == 0)
                chunks++;
            else if (run == 2)
                multi++;
        }
        else {
            run = 0;
            canonical = 0;
        }
        i = end + 1;
    }
    if (chunks >= 2 && multi * 2 >= chunks) {  /* maybe hard-wrapped: Python decides */
        out = Py_NewRef(Py_None);
        goto done;
    }
    if (canonical)  /* (no copy: a 1 MB text with one emoji is 4 MB, a thousand pages) */
        joined = Py_NewRef(text);
    else if (!(newline = PyUnicode_FromOrdinal('\n')) || !(joined = PyUnicode_Join(newline, lines)))
        goto done;
    if (!(blocks = PyList_New(PyList_GET_SIZE(lines))) ||
        !(paragraph = PyUnicode_InternFromString("paragraph")) || !(zero = PyLong_FromLong(0)))
        goto done;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(lines); k++) {
        PyObject *line = PyList_GET_ITEM(lines, k), *fields[7], *block;
        Py_ssize_t len = PyUnicode_GET_LENGTH(line);
        fields[0] = PyLong_FromSsize_t(k);
        fields[1] = PyLong_FromSsize_t(start);
        fields[2] = PyLong_FromSsize_t(start + len);
        fields[3] = line;
        fields[4] = paragraph;
        fields[5] = zero;
        fields[6] = Py_None;
        block = fields[0] && fields[1] && fields[2] ? make(&maker, fields) : NULL;
        Py_XDECREF(fields[0]);
        Py_XDECREF(fields[1]);
        Py_XDECREF(fields[2]);
        if (block == NULL)
            goto done;
        PyList_SET_ITEM(blocks, k, block);
        start += len + 1;
    }
    out = PyTuple_Pack(2, joined, blocks);
done:
    Py_XDECREF(lines);
    Py_XDECREF(newline);
    Py_XDECREF(joined);
    Py_XDECREF(blocks);
    Py_XDECREF(paragraph);
    Py_XDECREF(zero);
    Py_XDECREF(maker.type);
    return out;
}
