// The dict runtime (runtime/dict_memory.cpp) against a std::vector of (key, value) pairs
// kept in insertion order as CPython's dict keeps them: inserting an existing key keeps
// its place, removing drops it, and walking positions [0, used) through
// accel_rt_dict_entry, skipping removed ones, gives exactly the live entries in order.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <random>
#include <type_traits>
#include <utility>
#include <vector>

#include "runtime/abi.h"

namespace {

struct None {  // a set's value: no bytes
  bool operator==(const None&) const = default;
};
using Pair = std::array<int64_t, 2>;  // a 16-byte key, as a tuple of two ints

template <class V>
constexpr int64_t kValueSize = std::is_same_v<V, None> ? 0 : static_cast<int64_t>(sizeof(V));

template <class K, class V>
using Entries = std::vector<std::pair<K, V>>;

// What CPython's dict does, by hand.
template <class K, class V>
struct Model {
  Entries<K, V> items;

  typename Entries<K, V>::iterator at(const K& key) {
    return std::find_if(items.begin(), items.end(), [&](const auto& e) { return e.first == key; });
  }
  bool contains(const K& key) { return at(key) != items.end(); }
  bool insert(const K& key) {  // created?
    if (contains(key)) return false;
    items.push_back({key, V{}});
    return true;
  }
  void set(const K& key, const V& value) { at(key)->second = value; }
  bool remove(const K& key) {
    auto it = at(key);
    if (it == items.end()) return false;
    items.erase(it);
    return true;
  }
};

template <class K>
K key_at(const char* entry) {
  K key;
  std::memcpy(&key, entry, sizeof(K));
  return key;
}

template <class K, class V>
V value_at(const char* entry) {
  V value{};
  if constexpr (kValueSize<V> > 0) std::memcpy(&value, entry + accel_dict_value_offset(sizeof(K)), sizeof(V));
  return value;
}

template <class K, class V>
void write_value(char* entry, const V& value) {
  if constexpr (kValueSize<V> > 0) std::memcpy(entry + accel_dict_value_offset(sizeof(K)), &value, sizeof(V));
}

bool value_bytes_zero(const AccelDict* dict, const char* entry) {
  const char* value = entry + accel_dict_value_offset(dict->key_size);
  return std::all_of(value, value + dict->value_size, [](char c) { return c == 0; });
}

template <class K, class V>
AccelDict* new_dict() {
  return accel_rt_dict_new(static_cast<int64_t>(sizeof(K)), kValueSize<V>);
}

// The live entries in iteration order, as compiled code walks them.
template <class K, class V>
Entries<K, V> contents(const AccelDict* dict) {
  Entries<K, V> out;
  for (int64_t p = 0; p < dict->used; ++p)
    if (const char* entry = accel_rt_dict_entry(dict, p)) out.push_back({key_at<K>(entry), value_at<K, V>(entry)});
  return out;
}

template <class K, class V>
AccelDict* dict_of(const Entries<K, V>& items) {
  AccelDict* dict = new_dict<K, V>();
  for (const auto& [key, value] : items) write_value<K, V>(accel_rt_dict_insert(dict, &key, nullptr, dict->key_size, dict->value_size), value);
  return dict;
}

template <class K>
AccelDict* set_of(const std::vector<K>& keys) {
  AccelDict* set = new_dict<K, None>();
  for (const K& key : keys) accel_rt_dict_insert(set, &key, nullptr, set->key_size, set->value_size);
  return set;
}

template <class K>
std::vector<K> keys_of(const AccelDict* set) {
  std::vector<K> out;
  for (const auto& entry : contents<K, None>(set)) out.push_back(entry.first);
  return out;
}

// Checks the fields codegen reads and the bounds the table keeps.
::testing::AssertionResult consistent(const AccelDict* dict, int64_t expected_size) {
  if (dict->size != expected_size)
    return ::testing::AssertionFailure() << "size " << dict->size << ", expected " << expected_size;
  if (dict->size < 0 || dict->size > dict->used || dict->used > dict->entry_capacity)
    return ::testing::AssertionFailure() << "size " << dict->size << " used " << dict->used << " capacity "
                                         << dict->entry_capacity;
  return ::testing::AssertionSuccess();
}

int64_t int_key(int64_t i) { return i; }
// Many keys share a first word, so the second one must be compared too.
Pair pair_key(int64_t i) { return {i % 5 - 2, i / 5 * 1000003}; }
int32_t int32_key(int64_t i) { return static_cast<int32_t>(i * 7 - 100); }

struct Phase {
  int ops;
  int64_t key_range;
  int insert_percent, remove_percent;  // the rest finds
};

// Random inserts, finds, removes and (rarely) clears against the model; every answer, the
// size after each step and the full contents in order every so often.
template <class K, class V, class MakeValue>
void random_operations(uint64_t seed, K (*make_key)(int64_t), MakeValue make_value) {
  // Fill, drain, churn over a few keys (rebuilds that only drop removed entries), grow big.
  const Phase phases[] = {{4000, 64, 50, 30}, {4000, 2048, 80, 10}, {4000, 2048, 15, 75},
                          {4000, 12, 45, 45}, {4000, 300, 45, 35}};
  std::mt19937_64 random(seed);
  Model<K, V> model;
  AccelDict* dict = new_dict<K, V>();
  int growths = 0, compactions = 0, step = 0;
  for (const Phase& phase : phases)
    for (int op = 0; op < phase.ops; ++op, ++step) {
      const K key = make_key(static_cast<int64_t>(random() % static_cast<uint64_t>(phase.key_range)));
      const int roll = static_cast<int>(random() % 1000);
      const int64_t capacity = dict->entry_capacity, used = dict->used;
      if (roll < phase.insert_percent * 10) {
        int32_t created = -1;
        char* entry = accel_rt_dict_insert(dict, &key, &created, dict->key_size, dict->value_size);
        ASSERT_NE(entry, nullptr);
        const bool expect_created = model.insert(key);
        ASSERT_EQ(created, expect_created ? 1 : 0) << "step " << step;
        ASSERT_EQ(key_at<K>(entry), key) << "step " << step;
        if (expect_created) {
          ASSERT_TRUE(value_bytes_zero(dict, entry)) << "step " << step;
          if (dict->entry_capacity > capacity) ++growths;
          if (dict->used <= used) ++compactions;  // rebuilt without the removed entries
        } else {
          ASSERT_EQ(dict->entry_capacity, capacity);
          ASSERT_EQ(dict->used, used);
          ASSERT_EQ((value_at<K, V>(entry)), model.at(key)->second) << "step " << step;
        }
        if (random() % 4) {  // some entries keep the zero value
          const V value = make_value(random);
          write_value<K, V>(entry, value);
          model.set(key, value);
        }
      } else if (roll < (phase.insert_percent + phase.remove_percent) * 10) {
        ASSERT_EQ(accel_rt_dict_remove(dict, &key), model.remove(key) ? 1 : 0) << "step " << step;
      } else if (roll == 999) {
        accel_rt_dict_clear(dict);
        model.items.clear();
        ASSERT_EQ(dict->used, 0);
      } else {
        const char* entry = accel_rt_dict_find(dict, &key);
        auto it = model.at(key);
        ASSERT_EQ(entry != nullptr, it != model.items.end()) << "step " << step;
        if (entry) {
          ASSERT_EQ(key_at<K>(entry), key);
          ASSERT_EQ((value_at<K, V>(entry)), it->second) << "step " << step;
        }
      }
      ASSERT_TRUE(consistent(dict, static_cast<int64_t>(model.items.size()))) << "step " << step;
      if (step % 97 == 0) {
        ASSERT_EQ((contents<K, V>(dict)), model.items) << "step " << step;
        const char* last = accel_rt_dict_last(dict);
        ASSERT_EQ(last == nullptr, model.items.empty());
        if (last) {
          ASSERT_EQ(key_at<K>(last), model.items.back().first);
        }
      }
    }
  EXPECT_EQ((contents<K, V>(dict)), model.items);
  for (const auto& [key, value] : model.items) {  // every live key is found, with its value
    const char* entry = accel_rt_dict_find(dict, &key);
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ((value_at<K, V>(entry)), value);
  }
  // The sequence made the table grow and rebuild without its removed entries.
  EXPECT_GT(growths, 3);
  EXPECT_GT(compactions, 3);
  accel_rt_dict_decref(dict);
}

double random_double(std::mt19937_64& random) { return std::uniform_real_distribution<double>(-1e6, 1e6)(random); }
None no_value(std::mt19937_64&) { return {}; }
int8_t random_byte(std::mt19937_64& random) { return static_cast<int8_t>(random() % 255 + 1); }

// Every test leaves as many dicts alive as it found.
class DictMemory : public ::testing::Test {
 protected:
  void SetUp() override { live_before_ = accel::runtime::live_dict_blocks(); }
  void TearDown() override { EXPECT_EQ(accel::runtime::live_dict_blocks(), live_before_) << "dicts leaked"; }
  int64_t live_before_ = 0;
};

}  // namespace

TEST_F(DictMemory, IntKeysDoubleValuesBasics) {
  AccelDict* dict = new_dict<int64_t, double>();
  ASSERT_NE(dict, nullptr);
  EXPECT_EQ(dict->refcount, 1);
  EXPECT_EQ(dict->key_size, 8);
  EXPECT_EQ(dict->value_size, 8);
  EXPECT_TRUE(consistent(dict, 0));
  EXPECT_EQ(dict->used, 0);
  EXPECT_EQ(dict->changed, 0);
  const int64_t missing = 42;
  EXPECT_EQ(accel_rt_dict_find(dict, &missing), nullptr);
  EXPECT_EQ(accel_rt_dict_last(dict), nullptr);
  EXPECT_EQ(accel_rt_dict_remove(dict, &missing), 0);

  Model<int64_t, double> model;
  for (int64_t k : std::vector<int64_t>{5, -1, 0, 7, 5, 123456789012, -1, 3}) {
    int32_t created = -1;
    char* entry = accel_rt_dict_insert(dict, &k, &created, dict->key_size, dict->value_size);
    ASSERT_NE(entry, nullptr);
    const bool expect_created = model.insert(k);
    EXPECT_EQ(created, expect_created ? 1 : 0) << k;
    EXPECT_EQ(key_at<int64_t>(entry), k);
    if (expect_created) {
      EXPECT_TRUE(value_bytes_zero(dict, entry)) << k;
    }
    const double value = static_cast<double>(k) * 0.5 + 0.25;
    write_value<int64_t, double>(entry, value);
    model.set(k, value);
    EXPECT_TRUE(consistent(dict, static_cast<int64_t>(model.items.size())));
  }
  EXPECT_EQ((contents<int64_t, double>(dict)), model.items);
  // Overwriting keeps the place: 5 stays first.
  const int64_t five = 5;
  write_value<int64_t, double>(accel_rt_dict_insert(dict, &five, nullptr, dict->key_size, dict->value_size), -9.5);
  model.set(five, -9.5);
  EXPECT_EQ((contents<int64_t, double>(dict)), model.items);
  EXPECT_EQ((contents<int64_t, double>(dict).front()), (std::pair<int64_t, double>{5, -9.5}));
  // Removing drops it; inserting it again puts it at the end with a zero value.
  ASSERT_EQ(accel_rt_dict_remove(dict, &five), 1);
  model.remove(five);
  EXPECT_EQ(accel_rt_dict_find(dict, &five), nullptr);
  EXPECT_EQ(accel_rt_dict_remove(dict, &five), 0);
  EXPECT_EQ((contents<int64_t, double>(dict)), model.items);
  int32_t created = 0;
  char* again = accel_rt_dict_insert(dict, &five, &created, dict->key_size, dict->value_size);
  EXPECT_EQ(created, 1);
  EXPECT_TRUE(value_bytes_zero(dict, again));
  model.insert(five);
  EXPECT_EQ((contents<int64_t, double>(dict)), model.items);
  EXPECT_EQ(key_at<int64_t>(accel_rt_dict_last(dict)), 5);
  // Find agrees with insert's entry.
  EXPECT_EQ(accel_rt_dict_find(dict, &five), again);
  // The entry layout abi.h describes: hash, key padded to 8, value.
  EXPECT_GE(dict->entry_size, 8 + accel_dict_value_offset(dict->key_size) + dict->value_size);
  EXPECT_EQ(dict->entry_size % 8, 0);
  accel_rt_dict_decref(dict);
}

TEST_F(DictMemory, ADictMadeWithoutSizesTakesThemFromItsFirstInsert) {
  // An empty `{}` is made before inference knows its types (codegen passes -1).
  AccelDict* dict = accel_rt_dict_new(-1, 0);
  ASSERT_NE(dict, nullptr);
  const int32_t key = 7;
  EXPECT_EQ(accel_rt_dict_find(dict, &key), nullptr);
  EXPECT_EQ(accel_rt_dict_remove(dict, &key), 0);
  AccelDict* empty_copy = accel_rt_dict_copy(dict);
  ASSERT_NE(empty_copy, nullptr);
  EXPECT_EQ(empty_copy->size, 0);
  EXPECT_EQ(accel_rt_dict_same_keys(dict, empty_copy), 1);
  Model<int32_t, double> model;
  for (int32_t k = 0; k < 40; ++k) {
    char* entry = accel_rt_dict_insert(dict, &k, nullptr, sizeof(int32_t), sizeof(double));
    ASSERT_NE(entry, nullptr);
    write_value<int32_t, double>(entry, k * 1.5);
    model.insert(k);
    model.set(k, k * 1.5);
  }
  EXPECT_EQ(dict->key_size, 4);
  EXPECT_EQ(dict->value_size, 8);
  EXPECT_EQ((contents<int32_t, double>(dict)), model.items);
  // Updating a dict of unknown sizes from a known one gives it the other's.
  ASSERT_EQ(accel_rt_dict_update(empty_copy, dict), 0);
  EXPECT_EQ((contents<int32_t, double>(empty_copy)), model.items);
  accel_rt_dict_decref(empty_copy);
  accel_rt_dict_decref(dict);
}

TEST_F(DictMemory, PairKeysAsASet) {
  AccelDict* set = new_dict<Pair, None>();
  EXPECT_EQ(set->key_size, 16);
  EXPECT_EQ(set->value_size, 0);
  std::vector<Pair> expected;
  for (int64_t i = 0; i < 200; ++i) {
    const Pair key = pair_key(i % 150);  // the last 50 are already in
    int32_t created = -1;
    ASSERT_NE(accel_rt_dict_insert(set, &key, &created, set->key_size, set->value_size), nullptr);
    EXPECT_EQ(created, i < 150 ? 1 : 0);
    if (i < 150) expected.push_back(key);
  }
  EXPECT_TRUE(consistent(set, 150));
  EXPECT_EQ(keys_of<Pair>(set), expected);
  // Keys differing only in their second word are different keys.
  const Pair a{0, 1}, b{0, 2}, c{1, 1};
  AccelDict* small = set_of<Pair>({a});
  EXPECT_NE(accel_rt_dict_find(small, &a), nullptr);
  EXPECT_EQ(accel_rt_dict_find(small, &b), nullptr);
  EXPECT_EQ(accel_rt_dict_find(small, &c), nullptr);
  for (int64_t i = 0; i < 150; i += 3) {
    const Pair key = pair_key(i);
    ASSERT_EQ(accel_rt_dict_remove(set, &key), 1);
    expected.erase(std::find(expected.begin(), expected.end(), key));
  }
  EXPECT_TRUE(consistent(set, static_cast<int64_t>(expected.size())));
  EXPECT_EQ(keys_of<Pair>(set), expected);
  for (int64_t i = 0; i < 150; ++i) {
    const Pair key = pair_key(i);
    EXPECT_EQ(accel_rt_dict_find(set, &key) != nullptr, i % 3 != 0) << i;
  }
  accel_rt_dict_decref(small);
  accel_rt_dict_decref(set);
}

TEST_F(DictMemory, EmptyTupleKey) {
  const char no_bytes = 'x';  // any address: no byte of it is read
  for (int64_t value_size : {0, 8}) {
    AccelDict* dict = accel_rt_dict_new(0, value_size);
    ASSERT_NE(dict, nullptr);
    EXPECT_EQ(accel_rt_dict_find(dict, &no_bytes), nullptr);
    int32_t created = -1;
    char* entry = accel_rt_dict_insert(dict, &no_bytes, &created, dict->key_size, dict->value_size);
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(created, 1);
    EXPECT_TRUE(value_bytes_zero(dict, entry));
    const double written = 2.5;
    if (value_size) std::memcpy(entry + accel_dict_value_offset(0), &written, sizeof written);  // offset 0
    EXPECT_TRUE(consistent(dict, 1));
    // The only key there is: any pointer names it.
    const int64_t other = 7;
    EXPECT_EQ(accel_rt_dict_find(dict, &other), entry);
    EXPECT_EQ(accel_rt_dict_insert(dict, &other, &created, dict->key_size, dict->value_size), entry);
    EXPECT_EQ(created, 0);
    EXPECT_TRUE(consistent(dict, 1));
    if (value_size) {
      double value;
      std::memcpy(&value, accel_rt_dict_find(dict, &no_bytes), sizeof value);
      EXPECT_EQ(value, 2.5);
    }
    EXPECT_EQ(accel_rt_dict_last(dict), entry);
    EXPECT_EQ(accel_rt_dict_remove(dict, &no_bytes), 1);
    EXPECT_EQ(accel_rt_dict_remove(dict, &no_bytes), 0);
    EXPECT_TRUE(consistent(dict, 0));
    EXPECT_EQ(accel_rt_dict_last(dict), nullptr);
    // Many removals and re-insertions of the one key (rebuilds on the way).
    for (int i = 0; i < 100; ++i) {
      ASSERT_NE(accel_rt_dict_insert(dict, &no_bytes, &created, dict->key_size, dict->value_size), nullptr);
      ASSERT_EQ(created, 1);
      ASSERT_TRUE(value_bytes_zero(dict, accel_rt_dict_find(dict, &no_bytes)));
      const double value = i;
      if (value_size) std::memcpy(accel_rt_dict_find(dict, &no_bytes), &value, sizeof value);
      ASSERT_TRUE(consistent(dict, 1));
      ASSERT_EQ(accel_rt_dict_remove(dict, &no_bytes), 1);
      ASSERT_TRUE(consistent(dict, 0));
    }
    int live = 0;
    for (int64_t p = 0; p < dict->used; ++p) live += accel_rt_dict_entry(dict, p) != nullptr;
    EXPECT_EQ(live, 0);
    accel_rt_dict_decref(dict);
  }
}

TEST_F(DictMemory, SmallKeysPadTheirValues) {
  // 4-byte keys: the value starts at 8 and a new entry's value bytes are zero.
  EXPECT_EQ(accel_dict_value_offset(0), 0);
  EXPECT_EQ(accel_dict_value_offset(4), 8);
  EXPECT_EQ(accel_dict_value_offset(8), 8);
  EXPECT_EQ(accel_dict_value_offset(12), 16);
  EXPECT_EQ(accel_dict_value_offset(16), 16);
  AccelDict* dict = accel_rt_dict_new(4, 1);
  Model<int32_t, int8_t> model;
  for (int64_t i = 0; i < 300; ++i) {
    const int32_t key = int32_key(i);
    char* entry = accel_rt_dict_insert(dict, &key, nullptr, dict->key_size, dict->value_size);
    ASSERT_TRUE(value_bytes_zero(dict, entry));
    const auto value = static_cast<int8_t>(i % 100 + 1);
    write_value<int32_t, int8_t>(entry, value);
    model.insert(key);
    model.set(key, value);
    if (i % 4 == 1) {
      const int32_t gone = int32_key(i - 1);
      ASSERT_EQ(accel_rt_dict_remove(dict, &gone), 1);
      model.remove(gone);
    }
  }
  EXPECT_TRUE(consistent(dict, static_cast<int64_t>(model.items.size())));
  EXPECT_EQ((contents<int32_t, int8_t>(dict)), model.items);
  accel_rt_dict_decref(dict);
}

TEST_F(DictMemory, RandomIntKeysDoubleValues) {
  random_operations<int64_t, double>(20240601, int_key, random_double);
}

TEST_F(DictMemory, RandomPairKeysAsASet) { random_operations<Pair, None>(77, pair_key, no_value); }

TEST_F(DictMemory, RandomInt32KeysByteValues) { random_operations<int32_t, int8_t>(5, int32_key, random_byte); }

TEST_F(DictMemory, LastIsWhatPopitemTakes) {
  std::mt19937_64 random(11);
  Model<int64_t, double> model;
  AccelDict* dict = new_dict<int64_t, double>();
  for (int i = 0; i < 500; ++i) {
    const auto key = static_cast<int64_t>(random() % 200);
    if (random() % 3 == 0) {
      accel_rt_dict_remove(dict, &key);
      model.remove(key);
    } else {
      char* entry = accel_rt_dict_insert(dict, &key, nullptr, dict->key_size, dict->value_size);
      model.insert(key);
      write_value<int64_t, double>(entry, i + 0.5);
      model.set(key, i + 0.5);
    }
  }
  ASSERT_FALSE(model.items.empty());
  // Remove a run at the end so last has to pass over removed entries.
  for (int i = 0; i < 5 && model.items.size() > 1; ++i) {
    const int64_t key = model.items.back().first;
    ASSERT_EQ(accel_rt_dict_remove(dict, &key), 1);
    model.remove(key);
  }
  while (!model.items.empty()) {
    const char* last = accel_rt_dict_last(dict);
    ASSERT_NE(last, nullptr);
    ASSERT_EQ(key_at<int64_t>(last), model.items.back().first);
    ASSERT_EQ((value_at<int64_t, double>(last)), model.items.back().second);
    const int64_t key = key_at<int64_t>(last);
    ASSERT_EQ(accel_rt_dict_remove(dict, &key), 1);
    model.items.pop_back();
    ASSERT_TRUE(consistent(dict, static_cast<int64_t>(model.items.size())));
  }
  EXPECT_EQ(accel_rt_dict_last(dict), nullptr);
  accel_rt_dict_decref(dict);
}

TEST_F(DictMemory, ClearThenReuse) {
  AccelDict* dict = new_dict<int64_t, double>();
  for (int64_t k = 0; k < 100; ++k) write_value<int64_t, double>(accel_rt_dict_insert(dict, &k, nullptr, dict->key_size, dict->value_size), k + 1.0);
  for (int64_t k = 0; k < 100; k += 7) accel_rt_dict_remove(dict, &k);
  accel_rt_dict_clear(dict);
  EXPECT_TRUE(consistent(dict, 0));
  EXPECT_EQ(dict->used, 0);
  EXPECT_TRUE((contents<int64_t, double>(dict)).empty());
  EXPECT_EQ(accel_rt_dict_last(dict), nullptr);
  for (int64_t k = 0; k < 100; ++k) EXPECT_EQ(accel_rt_dict_find(dict, &k), nullptr) << k;
  // Reused: the old entries' bytes do not show through.
  Model<int64_t, double> model;
  for (int64_t k = 150; k >= 0; k -= 3) {
    int32_t created = 0;
    char* entry = accel_rt_dict_insert(dict, &k, &created, dict->key_size, dict->value_size);
    ASSERT_EQ(created, 1) << k;
    ASSERT_TRUE(value_bytes_zero(dict, entry)) << k;
    model.insert(k);
    if (k % 2) {
      write_value<int64_t, double>(entry, -k * 1.5);
      model.set(k, -k * 1.5);
    }
  }
  EXPECT_TRUE(consistent(dict, static_cast<int64_t>(model.items.size())));
  EXPECT_EQ((contents<int64_t, double>(dict)), model.items);
  for (int64_t k = 0; k < 150; ++k) EXPECT_EQ(accel_rt_dict_find(dict, &k) != nullptr, model.contains(k)) << k;
  accel_rt_dict_clear(dict);  // twice, and on an empty dict
  accel_rt_dict_clear(dict);
  EXPECT_TRUE(consistent(dict, 0));
  accel_rt_dict_decref(dict);
}

TEST_F(DictMemory, CopyIsIndependent) {
  Model<int64_t, double> model;
  AccelDict* dict = new_dict<int64_t, double>();
  for (int64_t k = 0; k < 40; ++k) {
    write_value<int64_t, double>(accel_rt_dict_insert(dict, &k, nullptr, dict->key_size, dict->value_size), k * 2.0);
    model.insert(k);
    model.set(k, k * 2.0);
  }
  for (int64_t k = 0; k < 40; k += 3) {  // removed entries are not copied
    accel_rt_dict_remove(dict, &k);
    model.remove(k);
  }
  AccelDict* copy = accel_rt_dict_copy(dict);
  ASSERT_NE(copy, nullptr);
  EXPECT_NE(copy, dict);
  EXPECT_EQ(copy->refcount, 1);
  EXPECT_EQ(copy->key_size, 8);
  EXPECT_EQ(copy->value_size, 8);
  EXPECT_TRUE(consistent(copy, static_cast<int64_t>(model.items.size())));
  EXPECT_EQ((contents<int64_t, double>(copy)), model.items);
  EXPECT_TRUE(accel_rt_dict_same_keys(copy, dict));

  // Changing the original leaves the copy alone...
  const auto saved = model.items;
  const int64_t one = 1, hundred = 100;
  write_value<int64_t, double>(accel_rt_dict_find(dict, &one), -1.0);
  accel_rt_dict_remove(dict, &hundred);
  const int64_t two = 2;
  accel_rt_dict_remove(dict, &two);
  write_value<int64_t, double>(accel_rt_dict_insert(dict, &hundred, nullptr, dict->key_size, dict->value_size), 100.0);
  for (int64_t k = 200; k < 300; ++k) accel_rt_dict_insert(dict, &k, nullptr, dict->key_size, dict->value_size);  // grows
  EXPECT_EQ((contents<int64_t, double>(copy)), saved);
  // ...and the other way round.
  Model<int64_t, double> changed_original;
  changed_original.items = contents<int64_t, double>(dict);
  accel_rt_dict_clear(copy);
  const int64_t seven = 7;
  write_value<int64_t, double>(accel_rt_dict_insert(copy, &seven, nullptr, copy->key_size, copy->value_size), 7.5);
  EXPECT_EQ((contents<int64_t, double>(dict)), changed_original.items);
  EXPECT_EQ((contents<int64_t, double>(copy)), (Entries<int64_t, double>{{7, 7.5}}));

  AccelDict* empty = new_dict<int64_t, double>();
  AccelDict* empty_copy = accel_rt_dict_copy(empty);
  EXPECT_TRUE(consistent(empty_copy, 0));
  for (AccelDict* d : {dict, copy, empty, empty_copy}) accel_rt_dict_decref(d);
}

TEST_F(DictMemory, UpdateOverwritesAndAppends) {
  AccelDict* a = dict_of<int64_t, double>({{1, 1.0}, {2, 2.0}, {3, 3.0}});
  AccelDict* b = dict_of<int64_t, double>({{3, 30.0}, {4, 40.0}, {1, 10.0}, {5, 50.0}});
  const int64_t five = 5;
  accel_rt_dict_remove(b, &five);  // removed entries of `other` are skipped
  ASSERT_EQ(accel_rt_dict_update(a, b), 0);
  EXPECT_EQ((contents<int64_t, double>(a)), (Entries<int64_t, double>{{1, 10.0}, {2, 2.0}, {3, 30.0}, {4, 40.0}}));
  EXPECT_EQ((contents<int64_t, double>(b)), (Entries<int64_t, double>{{3, 30.0}, {4, 40.0}, {1, 10.0}}));
  EXPECT_TRUE(consistent(a, 4));
  // With itself: nothing changes.
  ASSERT_EQ(accel_rt_dict_update(a, a), 0);
  EXPECT_EQ((contents<int64_t, double>(a)), (Entries<int64_t, double>{{1, 10.0}, {2, 2.0}, {3, 30.0}, {4, 40.0}}));
  EXPECT_TRUE(consistent(a, 4));
  // From an empty dict, and into one.
  AccelDict* empty = new_dict<int64_t, double>();
  ASSERT_EQ(accel_rt_dict_update(a, empty), 0);
  EXPECT_TRUE(consistent(a, 4));
  ASSERT_EQ(accel_rt_dict_update(empty, a), 0);
  EXPECT_EQ((contents<int64_t, double>(empty)), (contents<int64_t, double>(a)));
  for (AccelDict* d : {a, b, empty}) accel_rt_dict_decref(d);
}

TEST_F(DictMemory, RandomUpdatesAgainstTheModel) {
  std::mt19937_64 random(3);
  for (int trial = 0; trial < 200; ++trial) {
    Model<int64_t, double> ma, mb;
    AccelDict* a = new_dict<int64_t, double>();
    AccelDict* b = new_dict<int64_t, double>();
    const auto range = static_cast<uint64_t>(trial % 50 + 2);
    const int n = static_cast<int>(random() % 120);
    for (int i = 0; i < n; ++i) {
      const bool into_a = random() % 2;
      AccelDict* d = into_a ? a : b;
      Model<int64_t, double>& m = into_a ? ma : mb;
      const auto key = static_cast<int64_t>(random() % range);
      if (random() % 4 == 0) {
        accel_rt_dict_remove(d, &key);
        m.remove(key);
      } else {
        const double value = random_double(random);
        write_value<int64_t, double>(accel_rt_dict_insert(d, &key, nullptr, d->key_size, d->value_size), value);
        m.insert(key);
        m.set(key, value);
      }
    }
    ASSERT_EQ(accel_rt_dict_update(a, b), 0);
    for (const auto& [key, value] : mb.items) {
      ma.insert(key);
      ma.set(key, value);
    }
    ASSERT_TRUE(consistent(a, static_cast<int64_t>(ma.items.size())));
    ASSERT_EQ((contents<int64_t, double>(a)), ma.items) << "trial " << trial;
    ASSERT_EQ((contents<int64_t, double>(b)), mb.items) << "trial " << trial;
    accel_rt_dict_decref(a);
    accel_rt_dict_decref(b);
  }
}

TEST_F(DictMemory, FilterKeepsTheOrderOfA) {
  // As dicts: the values come from a.
  AccelDict* a = dict_of<int64_t, double>({{9, 0.9}, {3, 0.3}, {7, 0.7}, {1, 0.1}, {5, 0.5}});
  AccelDict* b = dict_of<int64_t, double>({{1, 10.0}, {2, 20.0}, {9, 90.0}, {5, 50.0}});
  const int64_t three = 3;
  accel_rt_dict_remove(a, &three);
  AccelDict* both = accel_rt_dict_filter(a, b, 1);
  AccelDict* only_a = accel_rt_dict_filter(a, b, 0);
  ASSERT_NE(both, nullptr);
  ASSERT_NE(only_a, nullptr);
  EXPECT_EQ(both->refcount, 1);
  EXPECT_EQ((contents<int64_t, double>(both)), (Entries<int64_t, double>{{9, 0.9}, {1, 0.1}, {5, 0.5}}));
  EXPECT_EQ((contents<int64_t, double>(only_a)), (Entries<int64_t, double>{{7, 0.7}}));
  EXPECT_TRUE(consistent(both, 3));
  EXPECT_TRUE(consistent(only_a, 1));
  EXPECT_EQ((contents<int64_t, double>(a)), (Entries<int64_t, double>{{9, 0.9}, {7, 0.7}, {1, 0.1}, {5, 0.5}}));
  // With itself.
  AccelDict* self_both = accel_rt_dict_filter(a, a, 1);
  AccelDict* self_minus = accel_rt_dict_filter(a, a, 0);
  EXPECT_EQ((contents<int64_t, double>(self_both)), (contents<int64_t, double>(a)));
  EXPECT_TRUE(consistent(self_minus, 0));
  for (AccelDict* d : {a, b, both, only_a, self_both, self_minus}) accel_rt_dict_decref(d);
}

TEST_F(DictMemory, FilterInPlace) {
  const std::vector<Pair> keys_a = {pair_key(4), pair_key(8), pair_key(15), pair_key(16), pair_key(23), pair_key(42)};
  const std::vector<Pair> keys_b = {pair_key(42), pair_key(0), pair_key(8), pair_key(23)};
  // -=
  AccelDict* a = set_of(keys_a);
  AccelDict* b = set_of(keys_b);
  accel_rt_dict_filter_in_place(a, b, 0);
  EXPECT_EQ(keys_of<Pair>(a), (std::vector<Pair>{pair_key(4), pair_key(15), pair_key(16)}));
  EXPECT_TRUE(consistent(a, 3));
  EXPECT_EQ(keys_of<Pair>(b), keys_b);
  // The removed keys are gone for find, and come back at the end.
  EXPECT_EQ(accel_rt_dict_find(a, &keys_a[1]), nullptr);
  int32_t created = 0;
  accel_rt_dict_insert(a, &keys_a[1], &created, a->key_size, a->value_size);
  EXPECT_EQ(created, 1);
  EXPECT_EQ(keys_of<Pair>(a), (std::vector<Pair>{pair_key(4), pair_key(15), pair_key(16), pair_key(8)}));
  accel_rt_dict_decref(a);
  // &=
  a = set_of(keys_a);
  accel_rt_dict_filter_in_place(a, b, 1);
  EXPECT_EQ(keys_of<Pair>(a), (std::vector<Pair>{pair_key(8), pair_key(23), pair_key(42)}));
  EXPECT_TRUE(consistent(a, 3));
  // Then many inserts, which rebuild the table over the removed entries.
  std::vector<Pair> expected = keys_of<Pair>(a);
  for (int64_t i = 100; i < 200; ++i) {
    const Pair key = pair_key(i);
    accel_rt_dict_insert(a, &key, nullptr, a->key_size, a->value_size);
    expected.push_back(key);
  }
  EXPECT_EQ(keys_of<Pair>(a), expected);
  EXPECT_TRUE(consistent(a, static_cast<int64_t>(expected.size())));
  accel_rt_dict_decref(a);
  // With itself: &= keeps everything, -= empties.
  a = set_of(keys_a);
  accel_rt_dict_filter_in_place(a, a, 1);
  EXPECT_EQ(keys_of<Pair>(a), keys_a);
  EXPECT_TRUE(consistent(a, 6));
  accel_rt_dict_filter_in_place(a, a, 0);
  EXPECT_TRUE(keys_of<Pair>(a).empty());
  EXPECT_TRUE(consistent(a, 0));
  for (const Pair& key : keys_a) EXPECT_EQ(accel_rt_dict_find(a, &key), nullptr);
  accel_rt_dict_decref(a);
  accel_rt_dict_decref(b);
}

TEST_F(DictMemory, RandomFiltersAgainstTheModel) {
  std::mt19937_64 random(8);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<int64_t> ka, kb;
    const auto range = static_cast<uint64_t>(trial % 40 + 1);
    for (int i = static_cast<int>(random() % 60); i > 0; --i) {
      const auto key = static_cast<int64_t>(random() % range);
      std::vector<int64_t>& keys = random() % 2 ? ka : kb;
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    }
    AccelDict* a = set_of(ka);
    AccelDict* b = set_of(kb);
    auto in = [](const std::vector<int64_t>& keys, int64_t key) {
      return std::find(keys.begin(), keys.end(), key) != keys.end();
    };
    std::vector<int64_t> common, a_only;
    for (int64_t key : ka) (in(kb, key) ? common : a_only).push_back(key);
    AccelDict* both = accel_rt_dict_filter(a, b, 1);
    AccelDict* minus = accel_rt_dict_filter(a, b, 0);
    ASSERT_EQ(keys_of<int64_t>(both), common) << "trial " << trial;
    ASSERT_EQ(keys_of<int64_t>(minus), a_only) << "trial " << trial;
    ASSERT_TRUE(consistent(both, static_cast<int64_t>(common.size())));
    ASSERT_TRUE(consistent(minus, static_cast<int64_t>(a_only.size())));
    // same_keys is set equality.
    std::vector<int64_t> sa = ka, sb = kb;
    std::sort(sa.begin(), sa.end());
    std::sort(sb.begin(), sb.end());
    ASSERT_EQ(accel_rt_dict_same_keys(a, b), sa == sb ? 1 : 0) << "trial " << trial;
    AccelDict* in_place = accel_rt_dict_copy(a);
    accel_rt_dict_filter_in_place(in_place, b, 1);
    ASSERT_EQ(keys_of<int64_t>(in_place), common);
    ASSERT_TRUE(consistent(in_place, static_cast<int64_t>(common.size())));
    accel_rt_dict_decref(in_place);
    in_place = accel_rt_dict_copy(a);
    accel_rt_dict_filter_in_place(in_place, b, 0);
    ASSERT_EQ(keys_of<int64_t>(in_place), a_only);
    ASSERT_TRUE(consistent(in_place, static_cast<int64_t>(a_only.size())));
    for (AccelDict* d : {a, b, both, minus, in_place}) accel_rt_dict_decref(d);
  }
}

TEST_F(DictMemory, SameKeysIsSetEquality) {
  AccelDict* a = dict_of<int64_t, double>({{1, 1.0}, {2, 2.0}, {3, 3.0}});
  AccelDict* reordered = dict_of<int64_t, double>({{3, -3.0}, {1, -1.0}, {2, -2.0}});  // values differ
  AccelDict* fewer = dict_of<int64_t, double>({{1, 1.0}, {2, 2.0}});
  AccelDict* other = dict_of<int64_t, double>({{1, 1.0}, {2, 2.0}, {4, 4.0}});
  AccelDict* empty = new_dict<int64_t, double>();
  AccelDict* emptied = dict_of<int64_t, double>({{8, 8.0}});
  const int64_t eight = 8;
  accel_rt_dict_remove(emptied, &eight);
  EXPECT_EQ(accel_rt_dict_same_keys(a, a), 1);
  EXPECT_EQ(accel_rt_dict_same_keys(a, reordered), 1);
  EXPECT_EQ(accel_rt_dict_same_keys(reordered, a), 1);
  EXPECT_EQ(accel_rt_dict_same_keys(a, fewer), 0);
  EXPECT_EQ(accel_rt_dict_same_keys(fewer, a), 0);
  EXPECT_EQ(accel_rt_dict_same_keys(a, other), 0);
  EXPECT_EQ(accel_rt_dict_same_keys(other, a), 0);
  EXPECT_EQ(accel_rt_dict_same_keys(empty, emptied), 1);
  EXPECT_EQ(accel_rt_dict_same_keys(empty, a), 0);
  // A removed key that is the difference: {1, 2, 3} minus 3 plus 4 vs other.
  const int64_t three = 3, four = 4;
  accel_rt_dict_remove(a, &three);
  EXPECT_EQ(accel_rt_dict_same_keys(a, fewer), 1);
  accel_rt_dict_insert(a, &four, nullptr, a->key_size, a->value_size);
  EXPECT_EQ(accel_rt_dict_same_keys(a, other), 1);
  for (AccelDict* d : {a, reordered, fewer, other, empty, emptied}) accel_rt_dict_decref(d);
}

TEST_F(DictMemory, ChangedIsSetByNewKeysRemovalAndClear) {
  AccelDict* dict = new_dict<int64_t, double>();
  EXPECT_EQ(dict->changed, 0);
  const int64_t one = 1, two = 2;
  accel_rt_dict_find(dict, &one);
  EXPECT_EQ(dict->changed, 0);
  accel_rt_dict_remove(dict, &one);  // missing: nothing changes
  EXPECT_EQ(dict->changed, 0);
  accel_rt_dict_insert(dict, &one, nullptr, dict->key_size, dict->value_size);
  EXPECT_EQ(dict->changed, 1);
  dict->changed = 0;
  accel_rt_dict_find(dict, &one);
  EXPECT_EQ(dict->changed, 0);
  accel_rt_dict_insert(dict, &two, nullptr, dict->key_size, dict->value_size);
  EXPECT_EQ(dict->changed, 1);
  dict->changed = 0;
  EXPECT_EQ(accel_rt_dict_remove(dict, &two), 1);
  EXPECT_EQ(dict->changed, 1);
  dict->changed = 0;
  accel_rt_dict_remove(dict, &two);
  EXPECT_EQ(dict->changed, 0);
  accel_rt_dict_clear(dict);
  EXPECT_EQ(dict->changed, 1);
  // Inserts that rebuild the table set it too.
  dict->changed = 0;
  for (int64_t k = 0; k < 50; ++k) {
    accel_rt_dict_insert(dict, &k, nullptr, dict->key_size, dict->value_size);
    ASSERT_EQ(dict->changed, 1) << k;
    dict->changed = 0;
  }
  // In-place operations that remove keys.
  AccelDict* some = dict_of<int64_t, double>({{1, 0.0}, {3, 0.0}});
  accel_rt_dict_filter_in_place(dict, some, 0);
  EXPECT_EQ(dict->changed, 1);
  dict->changed = 0;
  accel_rt_dict_filter_in_place(dict, some, 1);
  EXPECT_EQ(dict->changed, 1);
  dict->changed = 0;
  const int64_t hundred = 100;
  write_value<int64_t, double>(accel_rt_dict_insert(some, &hundred, nullptr, some->key_size, some->value_size), 1.0);
  accel_rt_dict_update(dict, some);
  EXPECT_EQ(dict->changed, 1);
  accel_rt_dict_decref(some);
  accel_rt_dict_decref(dict);
}

TEST_F(DictMemory, EveryDictIsFreedAtItsLastReference) {
  const int64_t before = accel::runtime::live_dict_blocks();
  AccelDict* dict = dict_of<int64_t, double>({{1, 1.0}, {2, 2.0}});
  EXPECT_EQ(accel::runtime::live_dict_blocks(), before + 1);
  accel_rt_dict_incref(dict);
  EXPECT_EQ(dict->refcount, 2);
  accel_rt_dict_decref(dict);
  EXPECT_EQ(dict->refcount, 1);
  EXPECT_EQ(accel::runtime::live_dict_blocks(), before + 1);
  AccelDict* copy = accel_rt_dict_copy(dict);
  AccelDict* both = accel_rt_dict_filter(dict, copy, 1);
  AccelDict* minus = accel_rt_dict_filter(dict, copy, 0);
  EXPECT_EQ(accel::runtime::live_dict_blocks(), before + 4);
  for (AccelDict* d : {copy, both, minus}) accel_rt_dict_decref(d);
  EXPECT_EQ(accel::runtime::live_dict_blocks(), before + 1);
  accel_rt_dict_decref(dict);
  EXPECT_EQ(accel::runtime::live_dict_blocks(), before);
  accel_rt_dict_incref(nullptr);  // ignored, as for lists
  accel_rt_dict_decref(nullptr);
  EXPECT_EQ(accel::runtime::live_dict_blocks(), before);
}
