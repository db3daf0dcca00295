#pragma once
// Shared memory: anonymous memfd segments for the long-lived channels, and short-lived
// named POSIX segments (/dev/shm) for out-of-band buffers, which are unlinked by the
// receiver as soon as it has mapped them.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace accel::pool {

/// An mmap'ed range, unmapped on destruction. Move-only.
class MappedRegion {
 public:
  MappedRegion() = default;
  /// Maps `size` bytes of `fd` read-write and shared; `populate` pre-faults the pages.
  MappedRegion(int fd, std::size_t size, bool populate);
  /// `size` bytes of private memory of this process, in huge pages where the kernel
  /// gives them (a fresh huge page costs a fraction of 512 fresh small ones).
  static MappedRegion private_memory(std::size_t size);
  MappedRegion(MappedRegion&& other) noexcept;
  MappedRegion& operator=(MappedRegion&& other) noexcept;
  MappedRegion(const MappedRegion&) = delete;
  MappedRegion& operator=(const MappedRegion&) = delete;
  ~MappedRegion();

  std::byte* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

/// Creates an anonymous shared file of `size` bytes (freed when the last fd and mapping
/// go away, so it can never leak) and returns its fd, numbered >= 10 and close-on-exec.
int create_anonymous_segment(const char* debug_name, std::size_t size);

/// Creates the named segment `name` (e.g. "/accel.123.4"), fills it with `data`.
void create_named_segment(const std::string& name, std::span<const std::byte> data);

/// Maps the named segment `name` of `size` bytes and unlinks its name, so the mapping
/// is the only thing keeping the memory alive.
MappedRegion take_named_segment(const std::string& name, std::size_t size);

/// Unlinks the named segment `name` if it still exists.
void remove_named_segment(const std::string& name);

/// Unlinks every /dev/shm entry whose name starts with `prefix` (without the '/');
/// returns how many were removed.
int remove_named_segments_with_prefix(std::string_view prefix);

}  // namespace accel::pool
