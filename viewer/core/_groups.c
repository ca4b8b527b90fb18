/* The segments and changes of the aligned groups (compare._Builder), built in C, and the
 * words of the changed segments (compare._side_counts).
 *
 * build_groups() is compare._Builder.add for every group in order: each pair of block
 * runs diffed as worddiff.diff_spans does (word_diff_of, then _unshred's first decisions,
 * the Python _unshred called only where it may change the ops), the group named, its
 * segments and changes made with the makers of _build.c; one-sided, moved and hidden
 * groups as the Python loop makes them. configure_builder() is given the Segment and
 * Change classes and their fields; the Python loop is the reference and tests check
 * that both give equal groups, segments and changes.
 */
#include "_native.h"

static Maker segment_maker, change_maker;
static int builder_ready = 0;

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

/* Appends Change(len(changes), kind, group, ls, rs, left[a:b], right[c:d]); 0 or -1. */
static int
append_change(PyObject *changes, PyObject *kind, PyObject *group, PyObject *ls, PyObject *rs,
              PyObject *left, PyObject *right, Py_ssize_t a, Py_ssize_t b, Py_ssize_t c,
              Py_ssize_t d)
{
    PyObject *id = PyLong_FromSsize_t(PyList_GET_SIZE(changes));
    PyObject *lt = id ? PyUnicode_Substring(left, a, b) : NULL;
    PyObject *rt = lt ? PyUnicode_Substring(right, c, d) : NULL;
    PyObject *change = NULL;
    int ok = -1;
    if (rt != NULL) {
        PyObject *fields[7] = {id, kind, group, ls, rs, lt, rt};
        if ((change = make(&change_maker, fields)) && PyList_Append(changes, change) == 0)
            ok = 0;
    }
    Py_XDECREF(id);
    Py_XDECREF(lt);
    Py_XDECREF(rt);
    Py_XDECREF(change);
    return ok;
}

/* Appends Segment(kind, group, ls, rs); 0 or -1. */
static int
append_segment(PyObject *segments, PyObject *kind, PyObject *group, PyObject *ls, PyObject *rs)
{
    PyObject *fields[4] = {kind, group, ls, rs};
    PyObject *seg = make(&segment_maker, fields);
    int ok = seg != NULL && PyList_Append(segments, seg) == 0 ? 0 : -1;
    Py_XDECREF(seg);
    return ok;
}

/* add_ops() without its argument parsing; 0 or -1. */
static int
add_op_list(PyObject *ops, PyObject *group, Py_ssize_t l0, Py_ssize_t r0, PyObject *left,
            PyObject *right, PyObject *segments, PyObject *changes)
{
    PyObject *fast = PySequence_Fast(ops, "ops: a sequence of tuples");
    int failed = 0;
    if (fast == NULL)
        return -1;
    for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(fast) && !failed; k++) {
        PyObject *op = PySequence_Fast_GET_ITEM(fast, k), *kind, *ls = NULL, *rs = NULL;
        Py_ssize_t a, b, c, d;
        failed = 1;
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
        if (append_segment(segments, kind, group, ls, rs) < 0)
            goto next;
        if (PyUnicode_CompareWithASCIIString(kind, "equal") != 0 &&
            append_change(changes, kind, group, ls, rs, left, right, a, b, c, d) < 0)
            goto next;
        failed = 0;
    next:
        Py_XDECREF(ls);
        Py_XDECREF(rs);
    }
    Py_DECREF(fast);
    return failed ? -1 : 0;
}

const char add_ops_doc[] =
    "add_ops(ops, group, left_start, right_start, left_text, right_text, segments, changes)\n\n"
    "compare._Builder's loop over one group's diff ops (kind, a0, a1, b0, b1), offsets\n"
    "relative to the group's start on each side: appends a Segment per op and a Change\n"
    "(numbered on from len(changes)) per op that is not 'equal'.";

PyObject *
add_ops(PyObject *self, PyObject *args)
{
    PyObject *ops, *group, *left, *right, *segments, *changes;
    Py_ssize_t l0, r0;
    (void)self;
    if (!PyArg_ParseTuple(args, "OO!nnUUO!O!:add_ops", &ops, &PyLong_Type, &group, &l0, &r0,
                          &left, &right, &PyList_Type, &segments, &PyList_Type, &changes))
        return NULL;
    if (!builder_ready) {
        PyErr_SetString(PyExc_RuntimeError, "configure_builder() first");
        return NULL;
    }
    if (add_op_list(ops, group, l0, r0, left, right, segments, changes) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* The relations and the attribute names read, made once (the op kinds are _native.c's). */
static PyObject *s_move, *s_hidden, *s_unmatched, *s_moved, *s_merged, *s_split, *s_changed,
    *s_start, *s_end, *s_text, *s_blocks;

static int
build_names(void)
{
    static const struct {
        PyObject **name;
        const char *text;
    } names[] = {{&s_move, "move"},       {&s_hidden, "hidden"}, {&s_unmatched, "unmatched"},
                 {&s_moved, "moved"},     {&s_merged, "merged"}, {&s_split, "split"},
                 {&s_changed, "changed"}, {&s_start, "start"},   {&s_end, "end"},
                 {&s_text, "text"},       {&s_blocks, "blocks"}};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (*names[k].name == NULL &&
            !(*names[k].name = PyUnicode_InternFromString(names[k].text)))
            return -1;
    return 0;
}

/* An article's blocks and text (new references); 0 or -1. */
typedef struct {
    PyObject *blocks, *text;
} Side;

static int
side_of(PyObject *article, Side *side)
{
    side->blocks = PyObject_GetAttr(article, s_blocks);
    side->text = side->blocks ? PyObject_GetAttr(article, s_text) : NULL;
    if (side->text == NULL)
        return -1;
    if (!PyTuple_Check(side->blocks) || !PyUnicode_Check(side->text)) {
        PyErr_SetString(PyExc_TypeError, "an article's blocks are a tuple and its text a str");
        return -1;
    }
    return 0;
}

/* Field ``name`` of block ids[k] (k -1: the last), a new reference; NULL on error. */
static PyObject *
block_field(const Side *side, PyObject *ids, Py_ssize_t k, PyObject *name)
{
    Py_ssize_t n = PyTuple_GET_SIZE(ids), i;
    if (k < 0)
        k += n;
    i = PyLong_AsSsize_t(PyTuple_GET_ITEM(ids, k));
    if (i == -1 && PyErr_Occurred())
        return NULL;
    if (i < 0 || i >= PyTuple_GET_SIZE(side->blocks)) {
        PyErr_SetString(PyExc_IndexError, "a group's block is not in its article");
        return NULL;
    }
    return PyObject_GetAttr(PyTuple_GET_ITEM(side->blocks, i), name);
}

/* The offset field ``name`` of block ids[k] as a number; -1 with an error set on failure. */
static Py_ssize_t
block_offset(const Side *side, PyObject *ids, Py_ssize_t k, PyObject *name)
{
    PyObject *value = block_field(side, ids, k, name);
    Py_ssize_t n;
    if (value == NULL)
        return -1;
    n = PyLong_AsSsize_t(value);
    Py_DECREF(value);
    return n;
}

/* Appends the group row (gid, left, right, relation, similarity, moved); 0 or -1. */
static int
append_group(PyObject *groups, PyObject *gid, PyObject *li, PyObject *ri, PyObject *relation,
             PyObject *similarity, PyObject *moved)
{
    PyObject *row = PyTuple_Pack(6, gid, li, ri, relation, similarity, moved);
    int ok = row != NULL && PyList_Append(groups, row) == 0 ? 0 : -1;
    Py_XDECREF(row);
    return ok;
}

/* worddiff.diff_spans for options that keep tokens as they are and punctuation counted:
 * the ops of one pair of texts (a new list), unshred called as _unshred would decide. */
static PyObject *
pair_ops(PyObject *lt, PyObject *rt, PyObject *dmp, PyObject *unshred)
{
    Py_ssize_t nl = PyUnicode_GET_LENGTH(lt), nr = PyUnicode_GET_LENGTH(rt), equal_chars = 0;
    Py_ssize_t n_equal = 0, n;
    PyObject *ops;
    int same = PyUnicode_Compare(lt, rt);
    if (same == -1 && PyErr_Occurred())
        return NULL;
    if (same == 0)
        return nl ? Py_BuildValue("[(Onnnn)]", s_equal, (Py_ssize_t)0, nl, (Py_ssize_t)0, nr)
                  : PyList_New(0);
    if (nl == 0 || nr == 0)
        return Py_BuildValue("[(Onnnn)]", nr ? s_insert : s_delete, (Py_ssize_t)0, nl,
                             (Py_ssize_t)0, nr);
    if (!(ops = word_diff_of(lt, rt, dmp)))
        return NULL;
    /* _unshred's first decisions: ops with no equal run, only equal runs, or half the
     * text in common are kept as they are */
    n = PyList_GET_SIZE(ops);
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *op = PyList_GET_ITEM(ops, k);
        if (PyUnicode_Compare(PyTuple_GET_ITEM(op, 0), s_equal) == 0) {
            n_equal++;
            equal_chars += PyLong_AsSsize_t(PyTuple_GET_ITEM(op, 2)) -
                           PyLong_AsSsize_t(PyTuple_GET_ITEM(op, 1));
        }
    }
    if (PyErr_Occurred()) {
        Py_DECREF(ops);
        return NULL;
    }
    if (n_equal == 0 || n_equal == n || equal_chars * 2 >= (nl > nr ? nl : nr))
        return ops;
    Py_SETREF(ops, PyObject_CallFunctionObjArgs(unshred, ops, lt, rt, NULL));
    return ops;
}

/* compare._Builder.add for one raw group; 0 or -1. */
static int
build_group(PyObject *raw, const Side *left, const Side *right, PyObject *dmp,
            PyObject *unshred, PyObject *groups, PyObject *segments, PyObject *changes,
            Py_ssize_t *cursor_l, Py_ssize_t *cursor_r)
{
    PyObject *li, *ri, *similarity, *moved, *gid, *ls = NULL, *rs = NULL, *lt = NULL,
                                                  *rt = NULL, *ops = NULL, *relation;
    Py_ssize_t nli, nri, l0, l1, r0, r1;
    int hidden, is_moved, ok = -1;
    if (!PyTuple_Check(raw) || PyTuple_GET_SIZE(raw) != 5 ||
        !PyTuple_Check(li = PyTuple_GET_ITEM(raw, 0)) ||
        !PyTuple_Check(ri = PyTuple_GET_ITEM(raw, 1))) {
        PyErr_SetString(PyExc_TypeError, "groups are RawGroup tuples");
        return -1;
    }
    similarity = PyTuple_GET_ITEM(raw, 2);
    moved = PyTuple_GET_ITEM(raw, 3);
    if ((hidden = PyObject_IsTrue(PyTuple_GET_ITEM(raw, 4))) < 0 ||
        (is_moved = PyObject_IsTrue(moved)) < 0 ||
        !(gid = PyLong_FromSsize_t(PyList_GET_SIZE(groups))))
        return -1;
    nli = PyTuple_GET_SIZE(li);
    nri = PyTuple_GET_SIZE(ri);
    if (hidden) {
        PyObject *zero = PyFloat_FromDouble(0.0);
        ok = zero ? append_group(groups, gid, li, ri, s_hidden, zero, Py_False) : -1;
        Py_XDECREF(zero);
        goto done;
    }
    if (nli == 0 && nri == 0) {
        PyErr_SetString(PyExc_ValueError, "a group with no block");
        goto done;
    }
    if (nri == 0 || nli == 0) {  /* one-sided: a delete or an insert at the other's cursor */
        const Side *side = nri == 0 ? left : right;
        PyObject *ids = nri == 0 ? li : ri, *kind = nri == 0 ? s_delete : s_insert, *zero;
        Py_ssize_t s = block_offset(side, ids, 0, s_start), e;
        if ((s == -1 && PyErr_Occurred()) ||
            ((e = block_offset(side, ids, -1, s_end)) == -1 && PyErr_Occurred()))
            goto done;
        if (nri == 0) {
            l0 = s, l1 = e, r0 = r1 = *cursor_r;
        }
        else {
            r0 = s, r1 = e, l0 = l1 = *cursor_l;
        }
        if (!(ls = Py_BuildValue("(nn)", l0, l1)) || !(rs = Py_BuildValue("(nn)", r0, r1)) ||
            !(zero = PyFloat_FromDouble(0.0)))
            goto done;
        ok = append_group(groups, gid, li, ri, s_unmatched, zero, Py_False);
        Py_DECREF(zero);
        if (ok < 0 || append_segment(segments, kind, gid, ls, rs) < 0 ||
            append_change(changes, kind, gid, ls, rs, left->text, right->text, l0, l1, r0, r1) <
                0) {
            ok = -1;
            goto done;
        }
        if (nri == 0)
            *cursor_l = l1;
        else
            *cursor_r = r1;
        goto done;
    }
    /* paired: a single block's text is the slice, no copy (most groups) */
    if ((l0 = block_offset(left, li, 0, s_start)) == -1 && PyErr_Occurred())
        goto done;
    if ((r0 = block_offset(right, ri, 0, s_start)) == -1 && PyErr_Occurred())
        goto done;
    if ((l1 = block_offset(left, li, -1, s_end)) == -1 && PyErr_Occurred())
        goto done;
    if ((r1 = block_offset(right, ri, -1, s_end)) == -1 && PyErr_Occurred())
        goto done;
    lt = nli == 1 ? block_field(left, li, 0, s_text) : PyUnicode_Substring(left->text, l0, l1);
    rt = nri == 1 ? block_field(right, ri, 0, s_text)
                  : PyUnicode_Substring(right->text, r0, r1);
    if (lt == NULL || rt == NULL || !(ops = pair_ops(lt, rt, dmp, unshred)))
        goto done;
    if (!PyList_Check(ops)) {
        PyErr_SetString(PyExc_TypeError, "ops are a list");
        goto done;
    }
    {
        int all_equal = 1;
        for (Py_ssize_t k = 0; k < PyList_GET_SIZE(ops) && all_equal; k++) {
            PyObject *op = PyList_GET_ITEM(ops, k);
            if (!PyTuple_Check(op) || PyTuple_GET_SIZE(op) < 1) {
                PyErr_SetString(PyExc_TypeError, "ops are (kind, a0, a1, b0, b1)");
                goto done;
            }
            all_equal = PyUnicode_Compare(PyTuple_GET_ITEM(op, 0), s_equal) == 0;
        }
        if (PyErr_Occurred())  /* (a kind that is not a str) */
            goto done;
        relation = is_moved ? s_moved
                   : nli > nri ? s_merged
                   : nli < nri ? s_split
                   : all_equal ? s_equal
                               : s_changed;
    }
    if (append_group(groups, gid, li, ri, relation, similarity, moved) < 0)
        goto done;
    if (is_moved) {
        if (!(ls = Py_BuildValue("(nn)", l0, l1)) || !(rs = Py_BuildValue("(nn)", r0, r1)) ||
            append_change(changes, s_move, gid, ls, rs, left->text, right->text, l0, l1, r0,
                          r1) < 0)
            goto done;
    }
    if (add_op_list(ops, gid, l0, r0, left->text, right->text, segments, changes) < 0)
        goto done;
    if (!is_moved) {
        *cursor_l = l1;
        *cursor_r = r1;
    }
    ok = 0;
done:
    Py_DECREF(gid);
    Py_XDECREF(ls);
    Py_XDECREF(rs);
    Py_XDECREF(lt);
    Py_XDECREF(rt);
    Py_XDECREF(ops);
    return ok;
}

const char build_groups_doc[] =
    "build_groups(raw, left, right, dmp, unshred, groups, segments, changes, cursors)\n"
    "-> cursors\n\n"
    "compare._Builder.add for each raw group in order, for options that keep tokens as\n"
    "they are and count punctuation (worddiff.diff_spans then runs word_diff(.., dmp) and\n"
    "unshred(ops, left, right) where _unshred could change the ops). Appends the group\n"
    "rows, segments and changes to the lists; cursors: the (left, right) insertion points,\n"
    "before and after.";

PyObject *
build_groups(PyObject *self, PyObject *args)
{
    PyObject *raws, *la, *ra, *dmp, *unshred, *groups, *segments, *changes, *fast;
    Side left = {NULL, NULL}, right = {NULL, NULL};
    Py_ssize_t cursor_l, cursor_r;
    int failed = 0;
    (void)self;
    if (!PyArg_ParseTuple(args, "OOOOOO!O!O!(nn):build_groups", &raws, &la, &ra, &dmp,
                          &unshred, &PyList_Type, &groups, &PyList_Type, &segments,
                          &PyList_Type, &changes, &cursor_l, &cursor_r))
        return NULL;
    if (!builder_ready) {
        PyErr_SetString(PyExc_RuntimeError, "configure_builder() first");
        return NULL;
    }
    if (build_names() < 0 || side_of(la, &left) < 0 || side_of(ra, &right) < 0 ||
        !(fast = PySequence_Fast(raws, "raw: a sequence of groups"))) {
        failed = 1;
        goto out;
    }
    for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(fast) && !failed; k++)
        failed = build_group(PySequence_Fast_GET_ITEM(fast, k), &left, &right, dmp, unshred,
                             groups, segments, changes, &cursor_l, &cursor_r) < 0;
    Py_DECREF(fast);
out:
    Py_XDECREF(left.blocks);
    Py_XDECREF(left.text);
    Py_XDECREF(right.blocks);
    Py_XDECREF(right.text);
    return failed ? NULL : Py_BuildValue("(nn)", cursor_l, cursor_r);
}

const char segment_words_doc[] =
    "segment_words(segments, left_classes, right_classes, left_nospace, right_nospace)\n"
    "    -> ((delete, insert, replace), (delete, insert, replace))\n\n"
    "compare._side_counts' sums in one pass over the segments: for each side, the words\n"
    "(tokens.WordCounter.counts, from ' ' + the side's word classes) of the changed\n"
    "segments' spans, by kind; equal segments are left out. configure_builder() first.";

PyObject *
segment_words(PyObject *self, PyObject *args)
{
    PyObject *const names[4] = {s_equal, s_delete, s_insert, s_replace};
    PyObject *segments, *classes[2], *fast;
    int nospace[2], kinds[2];
    const void *data[2];
    Py_ssize_t size[2], sums[2][3] = {{0, 0, 0}, {0, 0, 0}};
    (void)self;
    if (!PyArg_ParseTuple(args, "OUUpp:segment_words", &segments, &classes[0], &classes[1],
                          &nospace[0], &nospace[1]))
        return NULL;
    if (!builder_ready) {
        PyErr_SetString(PyExc_RuntimeError, "configure_builder() first");
        return NULL;
    }
    for (int side = 0; side < 2; side++) {
        kinds[side] = PyUnicode_KIND(classes[side]);
        data[side] = PyUnicode_DATA(classes[side]);
        size[side] = PyUnicode_GET_LENGTH(classes[side]);  /* the text's length + 1 */
    }
    if (!(fast = PySequence_Fast(segments, "segments: a sequence")))
        return NULL;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(fast); i++) {
        PyObject *seg = PySequence_Fast_GET_ITEM(fast, i), *kind;
        int which = -1;
        if (check_instance(&segment_maker, seg) < 0 || !(kind = SLOT(&segment_maker, seg, 0)))
            goto fail;
        for (int k = 0; k < 4 && which < 0; k++)  /* interned: a pointer test, mostly */
            if (kind == names[k] ||
                (PyUnicode_Check(kind) && PyUnicode_Compare(kind, names[k]) == 0))
                which = k;
        if (which == 0)
            continue;
        if (which < 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "a segment of an unknown kind");
            goto fail;
        }
        for (int side = 0; side < 2; side++) {
            PyObject *span = SLOT(&segment_maker, seg, 2 + side);
            Py_ssize_t start, end;
            if (span == NULL || span_of(span, size[side], &start, &end) < 0)
                goto fail;
            sums[side][which - 1] += span_word_count(kinds[side], data[side], start, end, nospace[side]);
        }
    }
    Py_DECREF(fast);
    return Py_BuildValue("((nnn)(nnn))", sums[0][0], sums[0][1], sums[0][2], sums[1][0],
                         sums[1][1], sums[1][2]);
fail:
    if (!PyErr_Occurred())
        PyErr_SetString(PyExc_TypeError, "a segment without its fields");
    Py_DECREF(fast);
    return NULL;
}

