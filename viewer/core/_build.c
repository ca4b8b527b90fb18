/* The segments and changes of one aligned group (compare._Builder), built in C; any
 * slotted dataclass's instances from rows of field values (instances()), and its
 * instances' fields as dicts (records(), for the JSON writer).
 *
 * A 1 MB pair has some 20,000 segments and 9,000 changes: frozen dataclasses whose
 * generated __init__ sets each field through object.__setattr__, in Python. Here they
 * are allocated with their type's allocator and their fields stored in their slots, as
 * __init__ would store them (the dataclasses declare no __post_init__ and no defaults
 * that matter: every field is given). configure_builder() takes the field names from
 * dataclasses.fields() and finds each slot through its member descriptor, so nothing
 * about the model is written here; the Python loop is the reference and tests check
 * that both give equal objects.
 */
#include "_native.h"
#include <structmember.h>

#define MAX_FIELDS 8

typedef struct {
    PyTypeObject *type;
    Py_ssize_t offsets[MAX_FIELDS];
    Py_ssize_t n;
} Maker;

static Maker segment_maker, change_maker;
static int builder_ready = 0;

/* The slot offsets of a slotted class's fields, in the order of names. */
static int
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
static PyObject *
make(const Maker *m, PyObject *const *values)
{
    PyObject *obj = m->type->tp_alloc(m->type, 0);
    if (obj == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < m->n; i++) {
        Py_INCREF(values[i]);
        *(PyObject **)((char *)obj + m->offsets[i]) = values[i];
    }
    return obj;
}

const char configure_builder_doc[] =
    "configure_builder(segment_class, segment_fields, change_class, change_fields)\n\n"
    "The model's Segment and Change dataclasses (slotted, no __post_init__) and the names\n"
    "of their fields in order, as dataclasses.fields() gives them.";

PyObject *
configure_builder(PyObject *self, PyObject *args)
{
    PyObject *seg, *seg_fields, *change, *change_fields;
    (void)self;
    if (!PyArg_ParseTuple(args, "OOOO:configure_builder", &seg, &seg_fields, &change,
                          &change_fields))
        return NULL;
    builder_ready = 0;
    if (maker_init(&segment_maker, seg, seg_fields) < 0 ||
        maker_init(&change_maker, change, change_fields) < 0)
        return NULL;
    if (segment_maker.n != 4 || change_maker.n != 7) {
        PyErr_SetString(PyExc_ValueError, "a segment has 4 fields and a change 7");
        return NULL;
    }
    builder_ready = 1;
    Py_RETURN_NONE;
}

static PyObject *
span(Py_ssize_t base, PyObject *op, Py_ssize_t at, Py_ssize_t *start, Py_ssize_t *end)
{
    Py_ssize_t a = PyLong_AsSsize_t(PyTuple_GET_ITEM(op, at));
    Py_ssize_t b = PyLong_AsSsize_t(PyTuple_GET_ITEM(op, at + 1));
    if ((a == -1 || b == -1) && PyErr_Occurred())
        return NULL;
    *start = base + a;
    *end = base + b;
    return Py_BuildValue("(nn)", *start, *end);
}

const char add_ops_doc[] =
    "add_ops(ops, group, left_start, right_start, left_text, right_text, segments, changes)\n\n"
    "compare._Builder's loop over one group's diff ops (kind, a0, a1, b0, b1), offsets\n"
    "relative to the group's start on each side: appends a Segment per op and a Change\n"
    "(numbered on from len(changes)) per op that is not 'equal'.";

PyObject *
add_ops(PyObject *self, PyObject *args)
{
    PyObject *ops, *group, *left, *right, *segments, *changes, *fast;
    Py_ssize_t l0, r0;
    (void)self;
    if (!PyArg_ParseTuple(args, "OO!nnUUO!O!:add_ops", &ops, &PyLong_Type, &group, &l0, &r0,
                          &left, &right, &PyList_Type, &segments, &PyList_Type, &changes))
        return NULL;
    if (!builder_ready) {
        PyErr_SetString(PyExc_RuntimeError, "configure_builder() first");
        return NULL;
    }
    if (!(fast = PySequence_Fast(ops, "ops: a sequence of tuples")))
        return NULL;
    for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(fast); k++) {
        PyObject *op = PySequence_Fast_GET_ITEM(fast, k), *kind, *ls = NULL, *rs = NULL;
        PyObject *seg = NULL, *change = NULL, *id = NULL, *lt = NULL, *rt = NULL;
        Py_ssize_t a, b, c, d;
        int equal, failed = 1;
        if (!PyTuple_Check(op) || PyTuple_GET_SIZE(op) != 5 ||
            !PyUnicode_Check(kind = PyTuple_GET_ITEM(op, 0))) {
            PyErr_SetString(PyExc_TypeError, "ops are (kind, a0, a1, b0, b1)");
            break;
        }
        if (!(ls = span(l0, op, 1, &a, &b)) || !(rs = span(r0, op, 3, &c, &d)))
            goto next;
        if (a < 0 || b < a || b > PyUnicode_GET_LENGTH(left) || c < 0 || d < c ||
            d > PyUnicode_GET_LENGTH(right)) {
            PyErr_SetString(PyExc_ValueError, "an op outside the texts");
            goto next;
        }
        {
            PyObject *fields[4] = {kind, group, ls, rs};
            if (!(seg = make(&segment_maker, fields)) || PyList_Append(segments, seg) < 0)
                goto next;
        }
        equal = PyUnicode_CompareWithASCIIString(kind, "equal") == 0;
        if (!equal) {
            PyObject *fields[7];
            if (!(id = PyLong_FromSsize_t(PyList_GET_SIZE(changes))) ||
                !(lt = PyUnicode_Substring(left, a, b)) || !(rt = PyUnicode_Substring(right, c, d)))
                goto next;
            fields[0] = id;
            fields[1] = kind;
            fields[2] = group;
            fields[3] = ls;
            fields[4] = rs;
            fields[5] = lt;
            fields[6] = rt;
            if (!(change = make(&change_maker, fields)) || PyList_Append(changes, change) < 0)
                goto next;
        }
        failed = 0;
    next:
        Py_XDECREF(ls);
        Py_XDECREF(rs);
        Py_XDECREF(seg);
        Py_XDECREF(change);
        Py_XDECREF(id);
        Py_XDECREF(lt);
        Py_XDECREF(rt);
        if (failed)
            break;
    }
    Py_DECREF(fast);
    if (PyErr_Occurred())
        return NULL;
    Py_RETURN_NONE;
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
        if (!PyObject_TypeCheck(obj, maker.type)) {
            PyErr_Format(PyExc_TypeError, "records of %s objects only", maker.type->tp_name);
            Py_CLEAR(out);
            break;
        }
        if (!(record = _PyDict_NewPresized(maker.n))) {
            Py_CLEAR(out);
            break;
        }
        PyList_SET_ITEM(out, i, record);
        for (Py_ssize_t k = 0; k < maker.n; k++) {
            PyObject *value = *(PyObject **)((char *)obj + maker.offsets[k]);
            if (value == NULL) {
                PyErr_Format(PyExc_AttributeError, "%R has no value", PyTuple_GET_ITEM(keys, k));
                Py_CLEAR(out);
                break;
            }
            if (PyDict_SetItem(record, PyTuple_GET_ITEM(keys, k), value) < 0) {
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
