/* Process-level settings for a one-shot command line run: no algorithm here.
 *
 * quiet_clock(): fast_diff_match_patch (the C++ port of diff-match-patch) checks its
 * deadline by calling clock() once per step of its bisection, even when there is no
 * deadline. clock() reads the process's CPU time, which Linux cannot serve from the vDSO:
 * every call is a system call, about 1 us on a virtual machine. A 1 MB pair makes 66,000
 * of them (60-70 ms, a quarter of the word diff). quiet_clock() points that library's
 * import of clock() (its GOT slot) at a monotonic clock in the same units, read through
 * the vDSO. Deadlines keep working, measured in elapsed time instead of CPU time. Where
 * the slot is not found (another platform, a static build, a different linker layout)
 * nothing is changed.
 *
 * tune_malloc(): glibc returns freed blocks over 128 KiB (and a heap top over 128 KiB) to
 * the system, so the next large string is faulted in page by page again. A run builds
 * and drops several copies of each text while loading; keeping freed memory for reuse
 * saves thousands of page faults. For short runs only: the memory is kept until exit.
 */
#include "_native.h"

#if defined(__linux__) && defined(__GLIBC__) && (defined(__x86_64__) || defined(__aarch64__))
#define HAVE_GOT_PATCH 1
#include <link.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#endif
#ifdef __GLIBC__
#include <malloc.h>
#endif

#ifdef HAVE_GOT_PATCH
static clock_t
monotonic_clock(void)
{
    struct timespec t;
    if (clock_gettime(CLOCK_MONOTONIC, &t) != 0)
        return (clock_t)-1;
    return (clock_t)t.tv_sec * CLOCKS_PER_SEC +
           (clock_t)(t.tv_nsec / (1000000000L / CLOCKS_PER_SEC));
}

typedef struct {
    const void *inside;  /* an address inside the library to patch */
    const char *symbol;
    void *replacement;
    int found, patched;
} Patch;

/* An address from the dynamic section: glibc relocates most of them in place. */
static const void *
dyn_address(const struct dl_phdr_info *info, ElfW(Addr) value)
{
    return (const void *)(value < info->dlpi_addr ? info->dlpi_addr + value : value);
}

/* Point every slot of relocations rel[0:count] that names patch->symbol at the
 * replacement; inside the read-only-after-relocation range, with that page made
 * writable for the write. */
static void
patch_slots(const struct dl_phdr_info *info, const ElfW(Rela) *rel, size_t count,
            const ElfW(Sym) *symtab, const char *strtab, ElfW(Addr) relro, size_t relro_size,
            Patch *patch)
{
    long page = sysconf(_SC_PAGESIZE);
    for (size_t i = 0; i < count; i++) {
        unsigned long type = ELF64_R_TYPE(rel[i].r_info);
#if defined(__x86_64__)
        if (type != R_X86_64_JUMP_SLOT && type != R_X86_64_GLOB_DAT)
            continue;
#else
        if (type != R_AARCH64_JUMP_SLOT && type != R_AARCH64_GLOB_DAT)
            continue;
#endif
        if (strcmp(strtab + symtab[ELF64_R_SYM(rel[i].r_info)].st_name, patch->symbol) != 0)
            continue;
        ElfW(Addr) offset = rel[i].r_offset;
        void **slot = (void **)(info->dlpi_addr + offset);
        int locked = relro_size && offset >= relro && offset < relro + relro_size;
        void *start = (void *)((uintptr_t)slot & ~(uintptr_t)(page - 1));
        if (locked && mprotect(start, (size_t)page, PROT_READ | PROT_WRITE) != 0)
            continue;
        __atomic_store_n(slot, patch->replacement, __ATOMIC_SEQ_CST);
        if (locked)
            mprotect(start, (size_t)page, PROT_READ);
        patch->patched++;
    }
}

static int
patch_object(struct dl_phdr_info *info, size_t size, void *data)
{
    Patch *patch = data;
    const ElfW(Dyn) *dyn = NULL;
    ElfW(Addr) relro = 0;
    size_t relro_size = 0;
    int inside = 0;
    (void)size;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        ElfW(Addr) start = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && (uintptr_t)patch->inside >= start &&
            (uintptr_t)patch->inside < start + ph->p_memsz)
            inside = 1;
        else if (ph->p_type == PT_DYNAMIC)
            dyn = (const ElfW(Dyn) *)(info->dlpi_addr + ph->p_vaddr);
        else if (ph->p_type == PT_GNU_RELRO) {
            relro = ph->p_vaddr;
            relro_size = ph->p_memsz;
        }
    }
    if (!inside)
        return 0;
    patch->found = 1;
    if (dyn == NULL)
        return 1;
    const ElfW(Rela) *jmprel = NULL, *rela = NULL;
    const ElfW(Sym) *symtab = NULL;
    const char *strtab = NULL;
    size_t jmprel_size = 0, rela_size = 0;
    int rela_kind = 1;
    for (; dyn->d_tag != DT_NULL; dyn++) {
        switch (dyn->d_tag) {
        case DT_JMPREL: jmprel = dyn_address(info, dyn->d_un.d_ptr); break;
        case DT_PLTRELSZ: jmprel_size = dyn->d_un.d_val; break;
        case DT_PLTREL: rela_kind = dyn->d_un.d_val == DT_RELA; break;
        case DT_RELA: rela = dyn_address(info, dyn->d_un.d_ptr); break;
        case DT_RELASZ: rela_size = dyn->d_un.d_val; break;
        case DT_SYMTAB: symtab = dyn_address(info, dyn->d_un.d_ptr); break;
        case DT_STRTAB: strtab = dyn_address(info, dyn->d_un.d_ptr); break;
        default: break;
        }
    }
    if (symtab == NULL || strtab == NULL || !rela_kind)
        return 1;
    if (jmprel != NULL)
        patch_slots(info, jmprel, jmprel_size / sizeof(ElfW(Rela)), symtab, strtab, relro,
                    relro_size, patch);
    if (rela != NULL)
        patch_slots(info, rela, rela_size / sizeof(ElfW(Rela)), symtab, strtab, relro,
                    relro_size, patch);
    return 1;
}
#endif

const char quiet_clock_doc[] =
    "quiet_clock(function) -> int\n\n"
    "Point the clock() import of the C library holding the built-in function at a\n"
    "monotonic clock read without a system call; how many slots were changed (0 where\n"
    "none was found or the platform is not supported).";

PyObject *
quiet_clock(PyObject *self, PyObject *arg)
{
    (void)self;
    if (!PyCFunction_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "quiet_clock() takes a built-in function");
        return NULL;
    }
#ifdef HAVE_GOT_PATCH
    Patch patch = {(const void *)PyCFunction_GET_FUNCTION(arg), "clock",
                   (void *)monotonic_clock, 0, 0};
    dl_iterate_phdr(patch_object, &patch);
    return PyLong_FromLong(patch.patched);
#else
    return PyLong_FromLong(0);
#endif
}

const char tune_malloc_doc[] =
    "tune_malloc() -> bool\n\n"
    "Keep freed memory for reuse instead of returning it to the system (glibc): for\n"
    "one-shot runs. False where the C library has no such settings.";

PyObject *
tune_malloc(PyObject *self, PyObject *args)
{
    (void)self;
    (void)args;
#ifdef __GLIBC__
    /* 32 MiB: the largest threshold glibc accepts on 64-bit systems */
    int ok = mallopt(M_MMAP_THRESHOLD, 32 << 20) && mallopt(M_TRIM_THRESHOLD, 1 << 30) &&
             mallopt(M_TOP_PAD, 16 << 20);
    return PyBool_FromLong(ok);
#else
    Py_RETURN_FALSE;
#endif
}
