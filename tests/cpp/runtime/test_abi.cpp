// The runtime's ABI is one list (runtime/abi_functions.h): the symbol table the JIT binds
// is made from it, indexed by runtime::Function, with each function's real address.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "runtime/abi.h"

using accel::runtime::Function;
using accel::runtime::FunctionAttribute;
using accel::runtime::runtime_function;
using accel::runtime::runtime_functions;

TEST(RuntimeAbi, EveryFunctionHasAUniqueNameAndItsAddress) {
  std::set<std::string> names;
  for (const auto& f : runtime_functions()) {
    EXPECT_EQ(std::string(f.name).rfind("accel_rt_", 0), 0u) << f.name;
    EXPECT_NE(f.address, nullptr) << f.name;
    EXPECT_TRUE(names.insert(f.name).second) << f.name << " is listed twice";
  }
  for (const char* expected : {"accel_rt_raise", "accel_rt_parallel_for", "accel_rt_random_seed", "accel_rt_histogram_uniform"})
    EXPECT_EQ(names.count(expected), 1u) << expected;
}

TEST(RuntimeAbi, TheTableIsIndexedByTheEnum) {
  EXPECT_EQ(runtime_function(Function::accel_rt_random_seed).address, reinterpret_cast<void*>(&accel_rt_random_seed));
  EXPECT_STREQ(runtime_function(Function::accel_rt_histogram_edges).name, "accel_rt_histogram_edges");
  EXPECT_EQ(runtime_function(Function::accel_rt_decref).address, reinterpret_cast<void*>(&accel_rt_decref));
}

TEST(RuntimeAbi, ErrorReportersAreCold) {
  EXPECT_EQ(runtime_function(Function::accel_rt_raise).attribute, FunctionAttribute::Cold);
  EXPECT_EQ(runtime_function(Function::accel_rt_index_error).attribute, FunctionAttribute::Cold);
  EXPECT_EQ(runtime_function(Function::accel_rt_array_alloc).attribute, FunctionAttribute::Plain);
}
