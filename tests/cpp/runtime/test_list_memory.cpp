// The list runtime (runtime/list_memory.cpp) against std::vector doing the same by hand:
// CPython's slice rules, insert's clamping, growth that keeps the items, and the count.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "runtime/abi.h"

namespace {

constexpr int64_t kItem = sizeof(int64_t);

AccelList* list_of(const std::vector<int64_t>& items) {
  AccelList* list = accel_rt_list_new(static_cast<int64_t>(items.size()), kItem);
  if (!items.empty()) std::memcpy(list->data, items.data(), items.size() * kItem);
  return list;
}

std::vector<int64_t> items_of(const AccelList* list) {
  std::vector<int64_t> out(static_cast<size_t>(list->size));
  if (list->size) std::memcpy(out.data(), list->data, out.size() * kItem);
  return out;
}

// Python's list[start:stop:step], written out from the language reference.
std::vector<int64_t> python_slice(const std::vector<int64_t>& items, int64_t start, int64_t stop, int64_t step,
                                  bool has_start, bool has_stop) {
  const auto n = static_cast<int64_t>(items.size());
  auto clamp = [&](int64_t v, int64_t low, int64_t high) { return v < low ? low : v > high ? high : v; };
  if (step > 0) {
    start = has_start ? clamp(start < 0 ? start + n : start, 0, n) : 0;
    stop = has_stop ? clamp(stop < 0 ? stop + n : stop, 0, n) : n;
  } else {
    start = has_start ? clamp(start < 0 ? start + n : start, -1, n - 1) : n - 1;
    stop = has_stop ? clamp(stop < 0 ? stop + n : stop, -1, n - 1) : -1;
  }
  std::vector<int64_t> out;
  for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) out.push_back(items[static_cast<size_t>(i)]);
  return out;
}

}  // namespace

TEST(ListMemory, SlicesFollowPythonsRules) {
  const std::vector<int64_t> items = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  AccelList* list = list_of(items);
  const int64_t bounds[] = {-20, -11, -10, -3, -1, 0, 1, 4, 9, 10, 11, 30};
  for (int64_t step : {1, 2, 3, -1, -2, -4, 11, -11})
    for (int64_t start : bounds)
      for (int64_t stop : bounds)
        for (int given = 0; given < 4; ++given) {
          AccelList* sliced = accel_rt_list_slice(list, start, stop, step, given, kItem);
          ASSERT_NE(sliced, nullptr);
          EXPECT_EQ(items_of(sliced), python_slice(items, start, stop, step, given & 1, given & 2))
              << start << ":" << stop << ":" << step << " given " << given;
          accel_rt_list_decref(sliced);
        }
  accel_rt_list_decref(list);
}

TEST(ListMemory, InsertClampsAsListInsertAndGrowthKeepsTheItems) {
  std::vector<int64_t> expected;
  AccelList* list = list_of({});
  for (int64_t k = 0; k < 1000; ++k) {
    const int64_t index = (k * 7919) % 23 - 11;  // negative, in range and past the end
    const auto n = static_cast<int64_t>(expected.size());
    int64_t at = index < 0 ? (index + n < 0 ? 0 : index + n) : (index > n ? n : index);
    expected.insert(expected.begin() + at, k);
    const int64_t got = accel_rt_list_open(list, index, kItem);
    ASSERT_EQ(got, at);
    std::memcpy(list->data + got * kItem, &k, kItem);
  }
  EXPECT_EQ(items_of(list), expected);
  EXPECT_GE(list->capacity, list->size);
  EXPECT_EQ(list->changed, 1);
  accel_rt_list_close(list, 0, kItem);
  expected.erase(expected.begin());
  EXPECT_EQ(items_of(list), expected);
  accel_rt_list_decref(list);
}

TEST(ListMemory, ExtendByItselfRepeatAndReverse) {
  AccelList* list = list_of({1, 2, 3});
  ASSERT_EQ(accel_rt_list_extend(list, list, kItem), 0);
  EXPECT_EQ(items_of(list), (std::vector<int64_t>{1, 2, 3, 1, 2, 3}));
  AccelList* twice = accel_rt_list_repeat(list, 2, kItem);
  EXPECT_EQ(twice->size, 12);
  AccelList* none = accel_rt_list_repeat(list, -3, kItem);
  EXPECT_EQ(none->size, 0);
  accel_rt_list_reverse(list, kItem);
  EXPECT_EQ(items_of(list), (std::vector<int64_t>{3, 2, 1, 3, 2, 1}));
  AccelList* joined = accel_rt_list_concat(list, none, kItem);
  EXPECT_EQ(items_of(joined), items_of(list));
  for (AccelList* l : {list, twice, none, joined}) accel_rt_list_decref(l);
}

TEST(ListMemory, EveryListIsFreedAtItsLastReference) {
  const int64_t before = accel::runtime::live_list_blocks();
  AccelList* list = list_of({1});
  accel_rt_list_incref(list);
  accel_rt_list_decref(list);
  EXPECT_EQ(accel::runtime::live_list_blocks(), before + 1);
  accel_rt_list_decref(list);
  EXPECT_EQ(accel::runtime::live_list_blocks(), before);
  accel_rt_list_decref(nullptr);  // ignored, as for arrays
}

TEST(ListMemory, AZeroStepIsCPythonsValueError) {
  AccelList* list = list_of({1, 2});
  EXPECT_EQ(accel_rt_list_slice(list, 0, 0, 0, 0, kItem), nullptr);
  const auto error = accel::runtime::take_error();
  EXPECT_EQ(error.message, "slice step cannot be zero");
  EXPECT_NE(error.class_path.find("builtins:ValueError"), std::string::npos);
  accel_rt_list_decref(list);
}
