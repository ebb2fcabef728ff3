/* scalepkg._speedups: mix(i, steps), a fixed amount of integer work per call (steps rounds of
 * a 64-bit xorshift-multiply mix seeded with i), returning the final state. Multi-phase init;
 * declares that it does not need the GIL unless SCALEPKG_NO_MOD_GIL is defined. The work holds
 * no shared state, so it is safe to run in many threads at once. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

static PyObject *mix(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
  if (nargs != 2) {
    PyErr_SetString(PyExc_TypeError, "mix(i, steps) takes exactly two integers");
    return NULL;
  }
  const long long i = PyLong_AsLongLong(args[0]);
  if (i == -1 && PyErr_Occurred()) return NULL;
  const long long steps = PyLong_AsLongLong(args[1]);
  if (steps == -1 && PyErr_Occurred()) return NULL;
  if (steps < 0) {
    PyErr_SetString(PyExc_ValueError, "mix: steps must not be negative");
    return NULL;
  }
  uint64_t x = (uint64_t)i * 0x9E3779B97F4A7C15ull + 1;
  for (long long k = 0; k < steps; ++k) {
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDull;
    x ^= x >> 29;
    x += (uint64_t)k;
  }
  return PyLong_FromUnsignedLongLong(x);
}

static PyMethodDef methods[] = {
    {"mix", (PyCFunction)(void (*)(void))mix, METH_FASTCALL,
     "mix(i, steps) -> int: steps rounds of integer mixing seeded with i."},
    {NULL, NULL, 0, NULL}};

static PyModuleDef_Slot slots[] = {
#if defined(Py_mod_gil) && !defined(SCALEPKG_NO_MOD_GIL)
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL}};

static struct PyModuleDef definition = {
    PyModuleDef_HEAD_INIT, "scalepkg._speedups", "scalepkg's C extension", 0, methods, slots,
};

PyMODINIT_FUNC PyInit__speedups(void) { return PyModuleDef_Init(&definition); }
