// Every function compiled code calls in the runtime, declared once:
//   ACCEL_RUNTIME_FUNCTION(name, return type, (parameters), attribute)
// runtime/abi.h makes the C declarations and the JIT's symbol table from this list, and
// codegen (ModuleEmitter::runtime) the LLVM function types, by deduction from the
// declarations: a function added here is callable from compiled code with nothing else
// to keep in step. `attribute` is Plain, or Cold for a function that only reports an
// error (LLVM moves its calls out of hot loops). All are nounwind: no C++ exception may
// leave them (bad_alloc included), since compiled frames cannot unwind.
//
// Functions returning int32_t return 0, or 1 with a Python exception recorded for the
// calling thread (accel_rt_raise), which the compiled function then propagates.
//
// Not an include-guarded header: it is expanded with different definitions of
// ACCEL_RUNTIME_FUNCTION.

// --- errors (runtime/error_state.cpp)
/// Records an error (AccelErrorKind) for the calling thread; the compiled function then returns 1.
ACCEL_RUNTIME_FUNCTION(accel_rt_raise, void, (int32_t kind, const char* message), Cold)
/// `raise C(message)` (`raise C` / `raise C()` when has_message is 0) for the class path of C.
ACCEL_RUNTIME_FUNCTION(accel_rt_raise_class, void, (const char* class_path, const char* message, int32_t has_message), Cold)
/// The same with a message of n bytes (a str value, not NUL-terminated).
ACCEL_RUNTIME_FUNCTION(accel_rt_raise_class_text, void,
                       (const char* class_path, const char* message, int64_t n, int32_t has_message), Cold)
/// Makes the pending error's one argument a value (n slots, as a result of the type named by
/// type_text, types/type_text.h) instead of its message: KeyError(key) holds the key itself.
ACCEL_RUNTIME_FUNCTION(accel_rt_error_argument, void, (const uint64_t* slots, int64_t n, const char* type_text), Cold)
/// Whether the pending error is an instance of the class whose path starts with `class_entry`
/// ("builtins:ArithmeticError"): what `except C:` tests.
ACCEL_RUNTIME_FUNCTION(accel_rt_error_matches, int32_t, (const char* class_entry), Plain)
/// Takes the pending error (none is pending afterwards) into a record of its own, which an
/// except clause owns: accel_rt_reraise raises it again, accel_rt_discard frees it (null is ignored).
ACCEL_RUNTIME_FUNCTION(accel_rt_catch, void*, (), Plain)
ACCEL_RUNTIME_FUNCTION(accel_rt_reraise, void, (void* caught), Cold)
ACCEL_RUNTIME_FUNCTION(accel_rt_discard, void, (void* caught), Plain)
/// IndexError with NumPy's message, built only when the error happens.
ACCEL_RUNTIME_FUNCTION(accel_rt_index_error, void, (int64_t index, int64_t axis, int64_t size), Cold)
/// OverflowError for a Python int that does not fit the NumPy integer type it goes to.
ACCEL_RUNTIME_FUNCTION(accel_rt_int_bounds_error, void, (int64_t value, const char* dtype), Cold)
/// Counts the depth of recursive compiled calls; 1 (with RecursionError set) when too deep.
ACCEL_RUNTIME_FUNCTION(accel_rt_enter_recursive, int32_t, (), Plain)
ACCEL_RUNTIME_FUNCTION(accel_rt_leave_recursive, void, (), Plain)

// --- array blocks (runtime/array_memory.cpp)
/// A reference-counted block for an array made in compiled code (count 1); *data gets
/// its 64-byte aligned payload. nullptr (with an error pending) when it cannot be had.
ACCEL_RUNTIME_FUNCTION(accel_rt_array_alloc, void*, (int64_t nbytes, void** data), Plain)
/// Reference counting of array blocks; nullptr (an array NumPy owns) is ignored.
ACCEL_RUNTIME_FUNCTION(accel_rt_incref, void, (void* meminfo), Plain)
ACCEL_RUNTIME_FUNCTION(accel_rt_decref, void, (void* meminfo), Plain)

// --- lists (runtime/list_memory.cpp): item_size is the bytes of one item. Functions
// returning a list return a new one (count 1), or nullptr with an error pending.
/// A list of `size` items whose bytes the caller writes.
ACCEL_RUNTIME_FUNCTION(accel_rt_list_new, AccelList*, (int64_t size, int64_t item_size), Plain)
/// Reference counting of lists; nullptr is ignored.
ACCEL_RUNTIME_FUNCTION(accel_rt_list_incref, void, (AccelList* list), Plain)
ACCEL_RUNTIME_FUNCTION(accel_rt_list_decref, void, (AccelList* list), Plain)
/// Makes room for one item at `index` as list.insert does (a negative index counts from
/// the end; both ends clamp) and returns where it goes; -1 with MemoryError pending.
ACCEL_RUNTIME_FUNCTION(accel_rt_list_open, int64_t, (AccelList* list, int64_t index, int64_t item_size), Plain)
/// Removes the item at `index` (0 <= index < size), moving the rest down.
ACCEL_RUNTIME_FUNCTION(accel_rt_list_close, void, (AccelList* list, int64_t index, int64_t item_size), Plain)
/// Appends the items of `other` (which may be `list` itself); 1 with MemoryError pending.
ACCEL_RUNTIME_FUNCTION(accel_rt_list_extend, int32_t, (AccelList* list, const AccelList* other, int64_t item_size), Plain)
/// list[start:stop:step] as a new list; `given` says which bounds were written (bit 0
/// start, bit 1 stop), as a slice's None does; step 0 raises CPython's ValueError.
ACCEL_RUNTIME_FUNCTION(accel_rt_list_slice, AccelList*,
                       (const AccelList* list, int64_t start, int64_t stop, int64_t step, int32_t given, int64_t item_size), Plain)
/// a + b and list * n (n <= 0 gives an empty list).
ACCEL_RUNTIME_FUNCTION(accel_rt_list_concat, AccelList*, (const AccelList* a, const AccelList* b, int64_t item_size), Plain)
ACCEL_RUNTIME_FUNCTION(accel_rt_list_repeat, AccelList*, (const AccelList* list, int64_t n, int64_t item_size), Plain)
/// list *= n in place; 1 with MemoryError pending.
ACCEL_RUNTIME_FUNCTION(accel_rt_list_repeat_in_place, int32_t, (AccelList* list, int64_t n, int64_t item_size), Plain)
ACCEL_RUNTIME_FUNCTION(accel_rt_list_reverse, void, (AccelList* list, int64_t item_size), Plain)

// --- dicts and sets (runtime/dict_memory.cpp): a set is a dict whose values have no
// bytes. An entry is named by its key's address; its value follows at
// accel_dict_value_offset(key_size). `key` points at key_size bytes laid out as stored.
/// An empty dict (count 1), or nullptr with MemoryError pending. key_size -1: the sizes
/// are not known yet (an empty `{}` whose types inference learned later): the first
/// insert gives them.
ACCEL_RUNTIME_FUNCTION(accel_rt_dict_new, AccelDict*, (int64_t key_size, int64_t value_size), Plain)
/// Reference counting of dicts; nullptr is ignored.
ACCEL_RUNTIME_FUNCTION(accel_rt_dict_incref, void, (AccelDict* dict), Plain)
ACCEL_RUNTIME_FUNCTION(accel_rt_dict_decref, void, (AccelDict* dict), Plain)
/// The entry whose key equals `key`, or nullptr.
ACCEL_RUNTIME_FUNCTION(accel_rt_dict_find, char*, (const AccelDict* dict, const void* key), Plain)
/// The entry for `key`, appended (key copied, value zeroed, *created = 1 when `created` is
/// not null) when missing; nullptr with MemoryError pending. The sizes are the dict's own
/// (what a dict made with unknown sizes takes).
ACCEL_RUNTIME_FUNCTION(accel_rt_dict_insert, char*,
                       (AccelDict* dict, const void* key, int32_t* created, int64_t key_size, int64_t value_size), Plain)
/// Removes the entry for `key`; 0 when there was none.
ACCEL_RUNTIME_FUNCTION(accel_rt_dict_remove, int32_t, (AccelDict* dict, const void* key), Plain)
/// The entry at `position` (0 <= position < used) in insertion order, or nullptr if removed.
ACCEL_RUNTIME_FUNCTION(accel_rt_dict_entry, char*, (const AccelDict* dict, int64_t position), Plain)
/// The position of the first entry at or after `position` that is not removed, or -1.
ACCEL_RUNTIME_FUNCTION(accel_rt_dict_next, int64_t, (const AccelDict* dict, int64_t position), Plain)
/// The last live entry (what popitem takes), or nullptr when the dict is empty.
ACCEL_RUNTIME_FUNCTION(accel_rt_dict_last, char*, (const AccelDict* dict), Plain)
ACCEL_RUNTIME_FUNCTION(accel_rt_dict_clear, void, (AccelDict* dict), Plain)
/// A copy (count 1), or nullptr with MemoryError pending.
ACCEL_RUNTIME_FUNCTION(accel_rt_dict_copy, AccelDict*, (const AccelDict* dict), Plain)
/// Every entry of `other` into `dict`, values overwritten (dict.update, set |=); `other`
/// may be `dict`. 1 with MemoryError pending.
ACCEL_RUNTIME_FUNCTION(accel_rt_dict_update, int32_t, (AccelDict* dict, const AccelDict* other), Plain)
/// The entries of `a` whose keys are (keep_common = 1) or are not (0) in `b`: a & b and a - b.
ACCEL_RUNTIME_FUNCTION(accel_rt_dict_filter, AccelDict*, (const AccelDict* a, const AccelDict* b, int32_t keep_common), Plain)
/// Removes from `dict` the keys that are (keep_common = 0) or are not (1) in `other`: -= and &=.
ACCEL_RUNTIME_FUNCTION(accel_rt_dict_filter_in_place, void, (AccelDict* dict, const AccelDict* other, int32_t keep_common), Plain)
/// Whether both hold the same keys (set equality; values are not compared).
ACCEL_RUNTIME_FUNCTION(accel_rt_dict_same_keys, int32_t, (const AccelDict* a, const AccelDict* b), Plain)

// --- reductions and sorting (runtime/pairwise_sum.cpp, runtime/sort.cpp)
/// NumPy's pairwise sum of n floats `stride` bytes apart (what x.sum() computes).
ACCEL_RUNTIME_FUNCTION(accel_rt_pairwise_sum_f64, double, (const char* data, int64_t n, int64_t stride), Plain)
ACCEL_RUNTIME_FUNCTION(accel_rt_pairwise_sum_f32, float, (const char* data, int64_t n, int64_t stride), Plain)
/// The same of n complex numbers (float parts when single), into out[0] + out[1]j.
ACCEL_RUNTIME_FUNCTION(accel_rt_pairwise_sum_complex, void,
                       (int32_t single, const char* data, int64_t n, int64_t stride, double* out), Plain)
/// Sorts n contiguous elements (an AccelSortElement) in place, NaN last (np.sort's order).
ACCEL_RUNTIME_FUNCTION(accel_rt_sort, void, (void* data, int64_t n, int32_t element), Plain)

// --- LAPACK (runtime/lapack.cpp): in float64, on Fortran-ordered arrays, each matrix passed
// as (rows, cols, data, leading dimension); LAPACK's info, ACCEL_NO_LAPACK or
// ACCEL_LAPACK_NO_MEMORY. The parameters follow library/lapack.cpp's argument letters.
/// Solves a x = b in place (b becomes x, a its LU), as np.linalg.solve and inv do.
ACCEL_RUNTIME_FUNCTION(accel_rt_lapack_gesv, int64_t,
                       (int64_t n, int64_t a_cols, double* a, int64_t lda, int64_t b_rows, int64_t nrhs, double* b,
                        int64_t ldb),
                       Plain)
/// a = P L U in place; pivots get LAPACK's 1-based rows (np.linalg.det and slogdet).
ACCEL_RUNTIME_FUNCTION(accel_rt_lapack_getrf, int64_t, (int64_t n, int64_t cols, double* a, int64_t lda, int64_t* pivots),
                       Plain)
/// The lower Cholesky factor in a's lower triangle (np.linalg.cholesky).
ACCEL_RUNTIME_FUNCTION(accel_rt_lapack_potrf, int64_t, (int64_t n, int64_t cols, double* a, int64_t lda), Plain)
/// Eigenvalues (ascending, into w) of the symmetric matrix whose lower triangle a holds,
/// and with `vectors` the eigenvectors into a's columns (np.linalg.eigh, eigvalsh).
ACCEL_RUNTIME_FUNCTION(accel_rt_lapack_syevd, int64_t,
                       (int64_t n, int64_t cols, double* a, int64_t lda, double* w, int32_t vectors), Plain)
/// Singular values (descending, into s) and with job 1 ('S') or 2 ('A') the vectors into u
/// and vt; a is destroyed (np.linalg.svd).
ACCEL_RUNTIME_FUNCTION(accel_rt_lapack_gesdd, int64_t,
                       (int64_t m, int64_t n, double* a, int64_t lda, double* s, int64_t u_rows, int64_t u_cols,
                        double* u, int64_t ldu, int64_t vt_rows, int64_t vt_cols, double* vt, int64_t ldvt,
                        int64_t job),
                       Plain)
/// a's QR as Householder reflectors: R in a's upper triangle, the reflectors below it and
/// their scales in tau (np.linalg.qr).
ACCEL_RUNTIME_FUNCTION(accel_rt_lapack_geqrf, int64_t, (int64_t m, int64_t n, double* a, int64_t lda, double* tau), Plain)
/// The m x mc Q of k reflectors that q holds (as geqrf left them) and tau; n is the
/// factored matrix's column count, which NumPy's workspace floor reads.
ACCEL_RUNTIME_FUNCTION(accel_rt_lapack_orgqr, int64_t,
                       (int64_t m, int64_t mc, double* q, int64_t ldq, double* tau, int64_t k, int64_t n), Plain)
/// Least squares by SVD: b (max(m, n) rows) becomes the solution in its first n rows, s the
/// singular values, *rank the effective rank under rcond (np.linalg.lstsq).
ACCEL_RUNTIME_FUNCTION(accel_rt_lapack_gelsd, int64_t,
                       (int64_t m, int64_t n, double* a, int64_t lda, int64_t b_rows, int64_t nrhs, double* b,
                        int64_t ldb, double* s, double rcond, int64_t* rank),
                       Plain)
/// Eigenvalues wr + i wi of a general matrix and with `vectors` the right eigenvectors into
/// vr; a is destroyed (np.linalg.eig, eigvals).
ACCEL_RUNTIME_FUNCTION(accel_rt_lapack_geev, int64_t,
                       (int64_t n, int64_t cols, double* a, int64_t lda, double* wr, double* wi, int64_t vr_rows,
                        int64_t vr_cols, double* vr, int64_t ldvr, int32_t vectors),
                       Plain)

// --- complex numbers (runtime/complex_math.cpp)
/// out[0] + out[1]j = a ** b, as CPython computes it for a Python complex (kind
/// ACCEL_COMPLEX_PYTHON: 1 with ZeroDivisionError or OverflowError pending, as CPython)
/// or as NumPy's power for complex64/complex128 (always 0).
ACCEL_RUNTIME_FUNCTION(accel_rt_complex_power, int32_t,
                       (int32_t kind, double ar, double ai, double br, double bi, double* out), Plain)
/// out[0] + out[1]j = f(re + im j) for an AccelComplexFunction, in float (single) or double.
ACCEL_RUNTIME_FUNCTION(accel_rt_complex_function, void, (int32_t function, int32_t single, double re, double im, double* out), Plain)

// --- matrix products (runtime/matrix_product.cpp)
/// out (m x n, C order) = a (m x k) @ b (k x n), float64 (single = 0) or float32, the
/// operands at any byte strides: NumPy's BLAS when the process has one. 1 (MemoryError)
/// when a copy for BLAS cannot be had.
ACCEL_RUNTIME_FUNCTION(accel_rt_matrix_product, int32_t,
                       (int32_t single, int64_t m, int64_t n, int64_t k, const char* a, int64_t a_stride0,
                        int64_t a_stride1, const char* b, int64_t b_stride0, int64_t b_stride1, void* out),
                       Plain)

// --- parallel loops (runtime/parallel_for.cpp)
/// How many chunks a parallel loop of this many iterations is split into.
ACCEL_RUNTIME_FUNCTION(accel_rt_parallel_chunks, int64_t, (int64_t trip_count), Plain)
/// Runs body over every chunk on the runtime's threads (OpenMP); 1 with the error of the
/// lowest failing chunk (the one a serial loop would have raised) moved to this thread.
ACCEL_RUNTIME_FUNCTION(accel_rt_parallel_for, int32_t,
                       (int64_t trip_count, int64_t chunks, AccelChunkFunction body, void* context), Plain)

// --- np.random's legacy generator (runtime/legacy_random.cpp). Each thread has its own,
// seeded from entropy until it calls accel_rt_random_seed; so the stream that matches
// NumPy's for a seed is that of the thread that seeded it and drew from it (the calling
// thread for ordinary code; inside a prange body, the worker running the chunk).
/// `np.random.seed(seed)`: ValueError "Seed must be between 0 and 2**32 - 1" outside that.
ACCEL_RUNTIME_FUNCTION(accel_rt_random_seed, int32_t, (int64_t seed), Plain)
/// `np.random.seed()`: reseeds from the operating system's entropy.
ACCEL_RUNTIME_FUNCTION(accel_rt_random_seed_entropy, void, (), Plain)
/// `np.random.random()` / `rand()` / `random_sample()`: one double in [0, 1).
ACCEL_RUNTIME_FUNCTION(accel_rt_random_sample, double, (), Plain)
/// `np.random.randn()` / `standard_normal()`: one standard normal deviate.
ACCEL_RUNTIME_FUNCTION(accel_rt_random_gauss, double, (), Plain)
/// `np.random.randint(low, high)` for int64 into *out; ValueError "low >= high".
ACCEL_RUNTIME_FUNCTION(accel_rt_random_randint, int32_t, (int64_t low, int64_t high, int64_t* out), Plain)
/// `np.random.uniform(low, high)` into *out; OverflowError "Range exceeds valid bounds" when
/// high - low is not finite.
ACCEL_RUNTIME_FUNCTION(accel_rt_random_uniform, int32_t, (double low, double high, double* out), Plain)
/// `np.random.normal(loc, scale)` into *out; ValueError "scale < 0" when scale has its sign
/// bit set (-0.0 too, as NumPy); a NaN scale passes, as in NumPy.
ACCEL_RUNTIME_FUNCTION(accel_rt_random_normal, int32_t, (double loc, double scale, double* out), Plain)
/// `np.random.rand(n)` / `randn(n)` into out[0..n); nothing when n <= 0.
ACCEL_RUNTIME_FUNCTION(accel_rt_random_fill_sample, void, (double* out, int64_t n), Plain)
ACCEL_RUNTIME_FUNCTION(accel_rt_random_fill_gauss, void, (double* out, int64_t n), Plain)

// --- np.histogram (runtime/histogram.cpp). Data is read as n doubles `stride` bytes apart
// (any sign), so views need no copy; ValueError with NumPy's messages. No state.
/// `np.histogram(a, bins=bins, range=(lo, hi) if has_range else None)`: `bins` counts and
/// `bins + 1` edges (see histogram.h for the rules).
ACCEL_RUNTIME_FUNCTION(accel_rt_histogram_uniform, int32_t,
                       (const char* data, int64_t n, int64_t stride, int64_t bins, int32_t has_range,
                        double lo, double hi, int64_t* counts, double* edges), Plain)
/// `np.histogram(a, bins=edges)` with n_edges float64 edges `edges_stride` bytes apart.
ACCEL_RUNTIME_FUNCTION(accel_rt_histogram_edges, int32_t,
                       (const char* data, int64_t n, int64_t stride, const char* edges, int64_t n_edges,
                        int64_t edges_stride, int64_t* counts), Plain)

// --- f-strings, str() and print() (runtime/text.cpp, text.h). A statement evaluates every
// value first, then adds the pieces between begin and finish (or print); the pieces are
// formatted by CPython under the GIL. spec is the format spec after ':', conversion 0 or
// the character of !s, !r, !a. A number's bits: an integer widened to 64 bits, or a
// float's value as a double.
ACCEL_RUNTIME_FUNCTION(accel_rt_text_begin, void, (), Plain)
ACCEL_RUNTIME_FUNCTION(accel_rt_text_literal, void, (const char* data, int64_t n), Plain)
ACCEL_RUNTIME_FUNCTION(accel_rt_text_string, void, (const char* data, int64_t n, const char* spec, int32_t conversion), Plain)
ACCEL_RUNTIME_FUNCTION(accel_rt_text_number, void, (int32_t kind, uint64_t bits, const char* spec, int32_t conversion), Plain)
ACCEL_RUNTIME_FUNCTION(accel_rt_text_none, void, (const char* spec, int32_t conversion), Plain)
/// The next `count` values are the elements of one tuple.
ACCEL_RUNTIME_FUNCTION(accel_rt_text_tuple, void, (int64_t count, const char* spec, int32_t conversion), Plain)
/// A list of `count` items: the next `count` values.
ACCEL_RUNTIME_FUNCTION(accel_rt_text_list, void, (int64_t count, const char* spec, int32_t conversion), Plain)
ACCEL_RUNTIME_FUNCTION(accel_rt_text_array, void,
                       (const char* data, const int64_t* shape, const int64_t* strides, int32_t ndim, int32_t dtype,
                        const char* spec, int32_t conversion), Plain)
ACCEL_RUNTIME_FUNCTION(accel_rt_text_exception, void, (void* caught, const char* spec, int32_t conversion), Plain)
/// The formatted text as a new string block (count 1): *meminfo, *data, *n.
ACCEL_RUNTIME_FUNCTION(accel_rt_text_finish, int32_t, (void** meminfo, char** data, int64_t* n), Plain)
/// print(): the pieces are print's arguments, separators and end, written to sys.stdout.
ACCEL_RUNTIME_FUNCTION(accel_rt_text_print, int32_t, (), Plain)
