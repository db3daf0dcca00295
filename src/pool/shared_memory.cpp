#include "pool/shared_memory.h"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace accel::pool {

namespace {
[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// A close() that cannot be forgotten on the error paths.
struct FileDescriptor {
  int fd;
  ~FileDescriptor() { if (fd >= 0) ::close(fd); }
};
}  // namespace

MappedRegion::MappedRegion(int fd, std::size_t size, bool populate) : size_(size) {
  if (size == 0) return;
  int flags = MAP_SHARED | (populate ? MAP_POPULATE : 0);
  void* address = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, flags, fd, 0);
  if (address == MAP_FAILED) throw_errno("mmap of a shared segment");
  data_ = static_cast<std::byte*>(address);
}

MappedRegion MappedRegion::private_memory(std::size_t size) {
  MappedRegion region;
  if (size == 0) return region;
  void* address = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (address == MAP_FAILED) throw_errno("mmap of private memory");
  // Transparent huge pages are often "madvise" only (NumPy asks for them the same way).
  constexpr std::size_t kHugePage = std::size_t{2} << 20;
  if (size >= kHugePage) ::madvise(address, size, MADV_HUGEPAGE);
  region.data_ = static_cast<std::byte*>(address);
  region.size_ = size;
  return region;
}

MappedRegion::MappedRegion(MappedRegion&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedRegion& MappedRegion::operator=(MappedRegion&& other) noexcept {
  if (this != &other) {
    if (data_) ::munmap(data_, size_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

MappedRegion::~MappedRegion() {
  if (data_) ::munmap(data_, size_);
}

int create_anonymous_segment(const char* debug_name, std::size_t size) {
  FileDescriptor created{::memfd_create(debug_name, MFD_CLOEXEC)};
  if (created.fd < 0) throw_errno("memfd_create");
  if (::ftruncate(created.fd, static_cast<off_t>(size)) != 0) throw_errno("ftruncate of a memfd");
  // A high number keeps it clear of 0-2 and of the fd the worker expects it at.
  int fd = ::fcntl(created.fd, F_DUPFD_CLOEXEC, 10);
  if (fd < 0) throw_errno("fcntl(F_DUPFD_CLOEXEC)");
  return fd;
}

void create_named_segment(const std::string& name, std::span<const std::byte> data) {
  FileDescriptor segment{::shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600)};
  if (segment.fd < 0) throw_errno("shm_open(" + name + ")");
  try {
    if (::ftruncate(segment.fd, static_cast<off_t>(data.size())) != 0) throw_errno("ftruncate(" + name + ")");
    MappedRegion region(segment.fd, data.size(), /*populate=*/true);
    if (!data.empty()) std::memcpy(region.data(), data.data(), data.size());
  } catch (...) {
    ::shm_unlink(name.c_str());
    throw;
  }
}

MappedRegion take_named_segment(const std::string& name, std::size_t size) {
  FileDescriptor segment{::shm_open(name.c_str(), O_RDWR | O_CLOEXEC, 0600)};
  if (segment.fd < 0) throw_errno("shm_open(" + name + ")");
  ::shm_unlink(name.c_str());
  return MappedRegion(segment.fd, size, /*populate=*/true);
}

void remove_named_segment(const std::string& name) { ::shm_unlink(name.c_str()); }

int remove_named_segments_with_prefix(std::string_view prefix) {
  DIR* directory = ::opendir("/dev/shm");
  if (!directory) return 0;
  int removed = 0;
  while (dirent* entry = ::readdir(directory)) {
    std::string_view name(entry->d_name);
    if (!name.starts_with(prefix)) continue;
    std::string path(1, '/');
    path.append(name);
    if (::shm_unlink(path.c_str()) == 0) ++removed;
  }
  ::closedir(directory);
  return removed;
}

}  // namespace accel::pool
