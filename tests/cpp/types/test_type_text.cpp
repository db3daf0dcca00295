// Return types written as text and read back in another process must be the same type.
#include <gtest/gtest.h>

#include "types/type_text.h"

using namespace accel::types;

TEST(TypeText, EveryValueTypeReadsBackAsItself) {
  const Type a = array(Kind::Float64, 2, Layout::F, true);
  const Type cases[] = {scalar(Kind::PyInt), scalar(Kind::PyFloat), scalar(Kind::PyBool),
                        scalar(Kind::UInt16), scalar(Kind::Float32), none(), a,
                        array(Kind::Bool, 1, Layout::C), tuple({}),
                        tuple({scalar(Kind::Int8), a, tuple({none(), scalar(Kind::PyInt)})}),
                        list(scalar(Kind::PyFloat)), list(tuple({scalar(Kind::PyInt), scalar(Kind::Float32)}))};
  for (Type t : cases) {
    const std::string text = to_text(t);
    ASSERT_FALSE(text.empty()) << name(t);
    EXPECT_EQ(from_text(text), t) << name(t) << " as " << text;
  }
}

TEST(TypeText, CompileTimeTypesHaveNoText) {
  EXPECT_EQ(to_text(range()), "");
  EXPECT_EQ(to_text(module("numpy")), "");
  EXPECT_EQ(to_text(tuple({scalar(Kind::PyInt), builtin("len")})), "");
  EXPECT_EQ(to_text(list(nullptr)), "");  // an empty `[]` that never learnt its item type
}

TEST(TypeText, MalformedTextNamesNoType) {
  for (const char* text : {"", "(", "(1", "(1,", "1)", "x", "N1", "(1;2)", "99999", "4294967296", "[", "[]", "[1", "[N]"})
    EXPECT_EQ(from_text(text), nullptr) << text;
}
