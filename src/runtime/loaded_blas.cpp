#include "runtime/loaded_blas.h"

#include <dlfcn.h>
#include <link.h>

#include <cstring>

namespace accel::runtime {
namespace {

struct Search {
  const char* name;
  void* found = nullptr;
};

int search_loaded_object(dl_phdr_info* info, size_t, void* out) {
  auto* search = static_cast<Search*>(out);
  const char* path = info->dlpi_name;
  if (!path || !*path || !std::strstr(path, "blas")) return 0;
  void* handle = dlopen(path, RTLD_LAZY | RTLD_NOLOAD);
  if (!handle) return 0;
  search->found = dlsym(handle, search->name);
  dlclose(handle);  // the object stays loaded: NumPy holds it
  return search->found ? 1 : 0;
}

}  // namespace

void* loaded_blas_symbol(const char* name) {
  if (void* global = dlsym(RTLD_DEFAULT, name)) return global;
  Search search{name};
  dl_iterate_phdr(search_loaded_object, &search);
  return search.found;
}

}  // namespace accel::runtime
