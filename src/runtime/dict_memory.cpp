// Dicts and sets made in compiled code: CPython's compact layout (entries in insertion
// order, a separate index of open-addressed slots), written once for every key and value
// type by their sizes. Keys are plain data compared by bytes; codegen normalizes them
// before they get here, so equal numbers have equal bytes.

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "runtime/abi.h"

namespace {

std::atomic<int64_t> live_dicts{0};

constexpr uint64_t kDeadEntry = std::numeric_limits<uint64_t>::max();
constexpr int64_t kEmptySlot = -1;

void no_memory() { accel_rt_raise(ACCEL_ERROR_MEMORY, "out of memory for a dict in compiled code"); }

uint64_t& hash_of(char* entry) { return *reinterpret_cast<uint64_t*>(entry); }
uint64_t hash_of(const char* entry) { return *reinterpret_cast<const uint64_t*>(entry); }
char* entry_at(const AccelDict* d, int64_t position) { return d->entries + position * d->entry_size; }
char* key_of(char* entry) { return entry + 8; }

// Word by word through a multiply-xorshift, then splitmix64's finalizer: consecutive
// integers land in unrelated slots, which linear probing needs.
uint64_t hash_key(const void* key, int64_t size) {
  const auto* bytes = static_cast<const unsigned char*>(key);
  uint64_t h = 0x243F6A8885A308D3ull ^ static_cast<uint64_t>(size);
  for (int64_t at = 0; at < size; at += 8) {
    uint64_t word = 0;
    if (size - at >= 8) std::memcpy(&word, bytes + at, 8);  // a fixed size: one load, no call
    else std::memcpy(&word, bytes + at, static_cast<size_t>(size - at));
    h = (h ^ word) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
  }
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBull;
  h ^= h >> 31;
  return h == kDeadEntry ? 0 : h;
}

bool same_key(const AccelDict* d, const char* entry, uint64_t hash, const void* key) {
  if (hash_of(entry) != hash) return false;
  if (d->key_size % 8 == 0) {  // ints, floats and tuples of them: word compares, no call
    for (int64_t at = 0; at < d->key_size; at += 8) {
      uint64_t a, b;
      std::memcpy(&a, entry + 8 + at, 8);
      std::memcpy(&b, static_cast<const char*>(key) + at, 8);
      if (a != b) return false;
    }
    return true;
  }
  return std::memcmp(entry + 8, key, static_cast<size_t>(d->key_size)) == 0;
}

// The slot holding `key`'s entry, or (when missing) the slot it would go in: the first
// empty one, or a removed entry's on the way.
int64_t* slot_for(const AccelDict* d, const void* key, uint64_t hash, bool& found) {
  int64_t* reuse = nullptr;
  for (uint64_t i = hash & d->index_mask;; i = (i + 1) & d->index_mask) {
    int64_t* slot = d->index + i;
    if (*slot == kEmptySlot) {
      found = false;
      return reuse ? reuse : slot;
    }
    const char* entry = entry_at(d, *slot);
    if (hash_of(entry) == kDeadEntry) {
      if (!reuse) reuse = slot;
    } else if (same_key(d, entry, hash, key)) {
      found = true;
      return slot;
    }
  }
}

// Drops removed entries and builds an index for at least `capacity` entries with slots
// at most 2/3 full. False (nothing changed) when memory runs out.
bool rebuild(AccelDict* d, int64_t capacity) {
  int64_t slots = 8;
  while (slots * 2 < capacity * 3) slots *= 2;
  auto* index = static_cast<int64_t*>(std::malloc(static_cast<size_t>(slots) * sizeof(int64_t)));
  char* entries = capacity > d->entry_capacity
                      ? static_cast<char*>(std::malloc(static_cast<size_t>(capacity * d->entry_size)))
                      : d->entries;
  if (!index || (capacity > 0 && !entries)) {
    std::free(index);
    if (entries != d->entries) std::free(entries);
    return false;
  }
  std::fill(index, index + slots, kEmptySlot);
  int64_t live = 0;
  for (int64_t p = 0; p < d->used; ++p) {
    const char* from = entry_at(d, p);
    if (hash_of(from) == kDeadEntry) continue;
    char* to = entries + live * d->entry_size;
    if (to != from) std::memmove(to, from, static_cast<size_t>(d->entry_size));
    uint64_t i = hash_of(to) & (slots - 1);
    while (index[i] != kEmptySlot) i = (i + 1) & (slots - 1);
    index[i] = live++;
  }
  if (entries != d->entries) std::free(d->entries);
  std::free(d->index);
  d->entries = entries;
  d->entry_capacity = std::max(capacity, d->entry_capacity);
  d->index = index;
  d->index_mask = slots - 1;
  d->used = live;
  return true;
}

void set_sizes(AccelDict* d, int64_t key_size, int64_t value_size) {
  d->key_size = key_size;
  d->value_size = value_size;
  d->entry_size = key_size < 0 ? 0 : 8 + (accel_dict_value_offset(key_size) + value_size + 7) / 8 * 8;
}

AccelDict* make(int64_t key_size, int64_t value_size) {
  auto* d = static_cast<AccelDict*>(std::malloc(sizeof(AccelDict)));
  if (!d) {
    no_memory();
    return nullptr;
  }
  *d = AccelDict{1, 0, 0, 0, nullptr, nullptr, 0, 0, 0, 0, 0, nullptr};
  set_sizes(d, key_size, value_size);
  if (!rebuild(d, key_size < 0 ? 0 : 5)) {
    std::free(d);
    no_memory();
    return nullptr;
  }
  live_dicts.fetch_add(1, std::memory_order_relaxed);
  return d;
}

std::atomic_ref<int64_t> count_of(AccelDict* d) { return std::atomic_ref<int64_t>(d->refcount); }

}  // namespace

extern "C" AccelDict* accel_rt_dict_new(int64_t key_size, int64_t value_size) { return make(key_size, value_size); }

extern "C" void accel_rt_dict_incref(AccelDict* dict) {
  if (dict) count_of(dict).fetch_add(1, std::memory_order_relaxed);
}

extern "C" void accel_rt_dict_decref(AccelDict* dict) {
  if (!dict || count_of(dict).fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  std::free(dict->entries);
  std::free(dict->index);
  std::free(dict);
  live_dicts.fetch_sub(1, std::memory_order_relaxed);
}

extern "C" char* accel_rt_dict_find(const AccelDict* dict, const void* key) {
  if (dict->size == 0) return nullptr;  // also when its sizes are not known yet
  bool found = false;
  int64_t* slot = slot_for(dict, key, hash_key(key, dict->key_size), found);
  return found ? key_of(entry_at(dict, *slot)) : nullptr;
}

extern "C" char* accel_rt_dict_insert(AccelDict* dict, const void* key, int32_t* created, int64_t key_size,
                                     int64_t value_size) {
  if (dict->key_size < 0) set_sizes(dict, key_size, value_size);
  const uint64_t hash = hash_key(key, dict->key_size);
  bool found = false;
  int64_t* slot = slot_for(dict, key, hash, found);
  if (created) *created = found ? 0 : 1;
  if (found) return key_of(entry_at(dict, *slot));
  // Full: drop removed entries if that frees a quarter, else grow by half as much again.
  if (dict->used == dict->entry_capacity) {
    const int64_t capacity = dict->size * 4 < dict->used * 3 ? dict->entry_capacity : dict->entry_capacity * 3 / 2 + 4;
    if (!rebuild(dict, capacity)) {
      no_memory();
      return nullptr;
    }
    slot = slot_for(dict, key, hash, found);
  }
  char* entry = entry_at(dict, dict->used);
  hash_of(entry) = hash;
  std::memcpy(key_of(entry), key, static_cast<size_t>(dict->key_size));
  std::memset(key_of(entry) + dict->key_size, 0, static_cast<size_t>(dict->entry_size - 8 - dict->key_size));
  *slot = dict->used++;
  ++dict->size;
  dict->changed = 1;
  return key_of(entry);
}

extern "C" int32_t accel_rt_dict_remove(AccelDict* dict, const void* key) {
  if (dict->size == 0) return 0;
  bool found = false;
  int64_t* slot = slot_for(dict, key, hash_key(key, dict->key_size), found);
  if (!found) return 0;
  hash_of(entry_at(dict, *slot)) = kDeadEntry;  // the slot stays, so probes pass over it
  --dict->size;
  dict->changed = 1;
  return 1;
}

extern "C" char* accel_rt_dict_entry(const AccelDict* dict, int64_t position) {
  char* entry = entry_at(dict, position);
  return hash_of(entry) == kDeadEntry ? nullptr : key_of(entry);
}

extern "C" int64_t accel_rt_dict_next(const AccelDict* dict, int64_t position) {
  for (; position < dict->used; ++position)
    if (hash_of(entry_at(dict, position)) != kDeadEntry) return position;
  return -1;
}

extern "C" char* accel_rt_dict_last(const AccelDict* dict) {
  for (int64_t p = dict->used - 1; p >= 0; --p)
    if (char* key = accel_rt_dict_entry(dict, p)) return key;
  return nullptr;
}

extern "C" void accel_rt_dict_clear(AccelDict* dict) {
  std::fill(dict->index, dict->index + dict->index_mask + 1, kEmptySlot);
  dict->size = 0;
  dict->used = 0;
  dict->changed = 1;
}

extern "C" int32_t accel_rt_dict_update(AccelDict* dict, const AccelDict* other) {
  if (dict == other || other->size == 0) return 0;
  // The other's sizes: a dict made with unknown sizes takes them from the first insert.
  const int64_t value_offset = accel_dict_value_offset(other->key_size);
  for (int64_t p = 0; p < other->used; ++p) {
    const char* key = accel_rt_dict_entry(other, p);
    if (!key) continue;
    char* to = accel_rt_dict_insert(dict, key, nullptr, other->key_size, other->value_size);
    if (!to) return 1;
    std::memcpy(to + value_offset, key + value_offset, static_cast<size_t>(other->value_size));
  }
  dict->changed = 1;
  return 0;
}

extern "C" AccelDict* accel_rt_dict_copy(const AccelDict* dict) {
  AccelDict* out = make(dict->key_size, dict->value_size);
  if (out && accel_rt_dict_update(out, dict)) {
    accel_rt_dict_decref(out);
    return nullptr;
  }
  return out;
}

extern "C" AccelDict* accel_rt_dict_filter(const AccelDict* a, const AccelDict* b, int32_t keep_common) {
  AccelDict* out = make(a->key_size, a->value_size);
  if (!out) return nullptr;
  const int64_t value_offset = accel_dict_value_offset(a->key_size);
  for (int64_t p = 0; p < a->used; ++p) {
    const char* key = accel_rt_dict_entry(a, p);
    if (!key || (accel_rt_dict_find(b, key) != nullptr) != (keep_common != 0)) continue;
    char* to = accel_rt_dict_insert(out, key, nullptr, a->key_size, a->value_size);
    if (!to) {
      accel_rt_dict_decref(out);
      return nullptr;
    }
    std::memcpy(to + value_offset, key + value_offset, static_cast<size_t>(a->value_size));
  }
  return out;
}

extern "C" void accel_rt_dict_filter_in_place(AccelDict* dict, const AccelDict* other, int32_t keep_common) {
  if (dict == other) {
    if (!keep_common) accel_rt_dict_clear(dict);
    return;
  }
  for (int64_t p = 0; p < dict->used; ++p) {
    char* entry = entry_at(dict, p);
    if (hash_of(entry) == kDeadEntry || (accel_rt_dict_find(other, key_of(entry)) != nullptr) == (keep_common != 0))
      continue;
    hash_of(entry) = kDeadEntry;
    --dict->size;
  }
  dict->changed = 1;
}

extern "C" int32_t accel_rt_dict_same_keys(const AccelDict* a, const AccelDict* b) {
  if (a->size != b->size) return 0;
  if (a->size == 0) return 1;
  for (int64_t p = 0; p < a->used; ++p) {
    const char* key = accel_rt_dict_entry(a, p);
    if (key && !accel_rt_dict_find(b, key)) return 0;
  }
  return 1;
}

namespace accel::runtime {

int64_t live_dict_blocks() { return live_dicts.load(std::memory_order_relaxed); }

}  // namespace accel::runtime
