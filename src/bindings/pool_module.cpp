// accel._pool: the Python face of the pool runtime (src/pool). It converts between
// Python objects and the runtime's types and releases the GIL around every wait and
// every large copy; all logic lives in src/pool.
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <chrono>
#include <cstring>
#include <system_error>

#include "pool/chunk_sizer.h"
#include "pool/fork_server.h"
#include "pool/segment_cache.h"
#include "pool/worker_endpoint.h"
#include "pool/worker_pool.h"

namespace nb = nanobind;
using namespace nb::literals;
using accel::pool::BufferLease;
using accel::pool::ChunkSizer;
using accel::pool::ForkServer;
using accel::pool::ForkServerLauncher;
using accel::pool::ForkServerMessage;
using accel::pool::IncomingMessage;
using accel::pool::MessageKind;
using accel::pool::OutgoingMessage;
using accel::pool::PoolEvent;
using accel::pool::StagedBuffer;
using accel::pool::WorkerEndpoint;
using accel::pool::WorkerPool;
using accel::pool::WorkerPoolOptions;

namespace {

std::vector<std::byte> bytes_of(nb::bytes data) {
  const auto* begin = static_cast<const std::byte*>(data.data());
  return {begin, begin + data.size()};
}

nb::bytes to_bytes(const std::vector<std::byte>& data) {
  return nb::bytes(reinterpret_cast<const char*>(data.data()), data.size());
}

// A received out-of-band buffer becomes a writable memoryview whose exporter keeps the
// lease alive; NumPy arrays rebuilt on it hold it through their base. When the last one
// dies the lease returns the segment to its creator for reuse.
nb::object to_memoryview(std::shared_ptr<BufferLease> lease) {
  auto* keeper = new std::shared_ptr<BufferLease>(std::move(lease));
  nb::capsule owner(keeper, [](void* p) noexcept { delete static_cast<std::shared_ptr<BufferLease>*>(p); });
  size_t shape[1] = {(*keeper)->size()};
  auto* data = reinterpret_cast<uint8_t*>((*keeper)->data());
  return nb::cast(nb::ndarray<nb::memview, uint8_t, nb::ndim<1>>(data, 1, shape, owner));
}

nb::list to_memoryviews(std::vector<std::shared_ptr<BufferLease>>& leases) {
  nb::list views;
  for (auto& lease : leases) views.append(to_memoryview(std::move(lease)));
  return views;
}

// Copies each buffer-protocol object into shared memory, GIL released for the copy.
template <class Stage>
std::vector<StagedBuffer> stage_all(nb::list buffers, Stage&& stage) {
  std::vector<StagedBuffer> staged;
  for (nb::handle buffer : buffers) {
    Py_buffer view;
    if (PyObject_GetBuffer(buffer.ptr(), &view, PyBUF_SIMPLE) != 0) throw nb::python_error();
    try {
      nb::gil_scoped_release unlocked;
      staged.push_back(stage(std::span(static_cast<const std::byte*>(view.buf), static_cast<size_t>(view.len))));
    } catch (...) {
      PyBuffer_Release(&view);
      throw;
    }
    PyBuffer_Release(&view);
  }
  return staged;
}

nb::tuple event_to_python(PoolEvent& event) {
  return nb::make_tuple(static_cast<int>(event.kind), event.job_id, event.task_id, event.first_item,
                        event.item_count, event.duration_ns, to_bytes(event.payload),
                        to_memoryviews(event.buffers), event.crashed_item, event.worker_pid,
                        event.exit_status.by_signal, event.exit_status.value,
                        event.reason.empty() ? event.exit_status.describe()
                                             : event.exit_status.describe() + ", sent by the pool because " + event.reason);
}

std::chrono::nanoseconds seconds_to_ns(double seconds) {
  return std::chrono::nanoseconds(static_cast<int64_t>(seconds * 1e9));
}

}  // namespace

NB_MODULE(_pool, m) {
  m.doc() = "The C++ runtime of accel.Pool: worker processes and shared-memory channels.";

  nb::register_exception_translator([](const std::exception_ptr& p, void*) {
    try {
      std::rethrow_exception(p);
    } catch (const std::system_error& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    }
  });

  // The fork server's protocol (fork_server.h), for its Python end (_fork_server.py).
  m.attr("FORK_SERVER_HEADER") = "=IIqq";
  m.attr("FS_PREPARE") = static_cast<int>(ForkServerMessage::Prepare);
  m.attr("FS_FORK") = static_cast<int>(ForkServerMessage::Fork);
  m.attr("FS_RELEASE") = static_cast<int>(ForkServerMessage::Release);
  m.attr("FS_PREPARED") = static_cast<int>(ForkServerMessage::Prepared);
  m.attr("FS_FORKED") = static_cast<int>(ForkServerMessage::Forked);
  m.attr("FS_FORK_FAILED") = static_cast<int>(ForkServerMessage::ForkFailed);
  m.attr("FS_EXITED") = static_cast<int>(ForkServerMessage::Exited);
  m.attr("FS_RELEASED") = static_cast<int>(ForkServerMessage::Released);

  nb::class_<ForkServer>(m, "ForkServer", "The process's fork server: warm workers forked on request.")
      .def(nb::init<const std::vector<std::string>&>(), "command"_a)
      .def_prop_ro("pid", &ForkServer::pid)
      .def("alive", &ForkServer::alive, nb::call_guard<nb::gil_scoped_release>())
      .def("prepare",
           [](ForkServer& server, int64_t config_id, nb::bytes payload) {
             std::vector<std::byte> report;
             {
               const auto* begin = static_cast<const std::byte*>(payload.data());
               std::vector<std::byte> data(begin, begin + payload.size());
               nb::gil_scoped_release unlocked;
               report = server.prepare(config_id, data);
             }
             return to_bytes(report);
           },
           "config_id"_a, "payload"_a, "Sends a configuration; returns the server's report once it has imported it.")
      .def("prepare_in_background",
           [](ForkServer& server, int64_t config_id, nb::bytes payload) {
             const auto* begin = static_cast<const std::byte*>(payload.data());
             std::vector<std::byte> data(begin, begin + payload.size());
             nb::gil_scoped_release unlocked;
             return server.prepare_in_background(config_id, data);
           },
           "config_id"_a, "payload"_a, "Sends a configuration without waiting; the request, for wait_for_report.")
      .def("wait_for_report",
           [](ForkServer& server, int64_t request) {
             std::vector<std::byte> report;
             {
               nb::gil_scoped_release unlocked;
               report = server.wait_for_report(request);
             }
             return to_bytes(report);
           },
           "request"_a, "The report of a prepare_in_background request, once the server has imported it.");

  m.attr("EVENT_RESULT") = static_cast<int>(PoolEvent::Kind::Result);
  m.attr("EVENT_TASK_ERROR") = static_cast<int>(PoolEvent::Kind::TaskError);
  m.attr("EVENT_CRASH") = static_cast<int>(PoolEvent::Kind::Crash);
  m.attr("MSG_HELLO") = static_cast<int>(MessageKind::Hello);
  m.attr("MSG_DEFINE_JOB") = static_cast<int>(MessageKind::DefineJob);
  m.attr("MSG_RELEASE_JOB") = static_cast<int>(MessageKind::ReleaseJob);
  m.attr("MSG_TASK") = static_cast<int>(MessageKind::Task);
  m.attr("MSG_SHUTDOWN") = static_cast<int>(MessageKind::Shutdown);
  m.attr("MSG_RESULT") = static_cast<int>(MessageKind::Result);
  m.attr("MSG_TASK_ERROR") = static_cast<int>(MessageKind::TaskError);

  nb::class_<WorkerPool>(m, "WorkerPool", "Workers, their channels and the task queue of one pool.")
      .def("__init__",
           [](WorkerPool* self, std::vector<std::string> command, size_t workers, uint64_t max_tasks,
              nb::bytes hello, size_t ring_capacity, std::shared_ptr<ForkServer> fork_server, int64_t config_id) {
             WorkerPoolOptions options;
             options.worker_command = std::move(command);
             if (fork_server) options.launcher = std::make_shared<ForkServerLauncher>(std::move(fork_server), config_id);
             options.workers = workers;
             options.max_tasks_per_worker = max_tasks;
             options.hello = bytes_of(hello);
             options.ring_capacity = ring_capacity;
             nb::gil_scoped_release unlocked;  // a fork server may still be importing
             new (self) WorkerPool(std::move(options));
           },
           "worker_command"_a, "workers"_a, "max_tasks_per_worker"_a, "hello"_a, "ring_capacity"_a = size_t{1} << 21,
           nb::arg("fork_server").none() = nb::none(), "config_id"_a = 0)
      .def("define_job", [](WorkerPool& pool, uint64_t job, nb::bytes payload) { pool.define_job(job, bytes_of(payload)); })
      .def("release_job", &WorkerPool::release_job)
      .def("submit",
           [](WorkerPool& pool, uint64_t job, uint64_t task, uint64_t first, uint64_t count, nb::bytes payload,
              nb::list buffers) {
             auto staged = stage_all(buffers, [&](std::span<const std::byte> b) { return pool.stage(b); });
             pool.submit(job, task, first, count, bytes_of(payload), std::move(staged));
           },
           "Queues one chunk; `buffers` are its out-of-band pickle buffers.")
      .def("collect",
           [](WorkerPool& pool, double timeout) {
             std::vector<PoolEvent> events;
             {
               nb::gil_scoped_release unlocked;
               events = pool.collect(seconds_to_ns(timeout));
             }
             nb::list out;
             for (PoolEvent& event : events) out.append(event_to_python(event));
             return out;
           },
           "timeout"_a, "Events (results, task errors, crashes), waiting up to `timeout` seconds for one.")
      .def("wake", &WorkerPool::wake, "Ends a collect() wait early; safe from any thread.")
      .def("wants_tasks", &WorkerPool::wants_tasks)
      .def("suggest_chunksize", &WorkerPool::suggest_chunksize)
      .def("job_measured", &WorkerPool::job_measured)
      .def_prop_ro("pending_tasks", &WorkerPool::pending_tasks)
      .def_prop_ro("tasks_in_flight", &WorkerPool::tasks_in_flight)
      .def("worker_pids", &WorkerPool::worker_pids)
      .def("shutdown",
           [](WorkerPool& pool, double grace) {
             nb::gil_scoped_release unlocked;
             pool.shutdown(std::chrono::duration_cast<std::chrono::milliseconds>(seconds_to_ns(grace)));
           })
      .def("terminate", &WorkerPool::terminate, nb::call_guard<nb::gil_scoped_release>())
      .def("restart", &WorkerPool::restart, nb::call_guard<nb::gil_scoped_release>());

  // The MPI transport (accel.mpi, over mpi4py) schedules in Python and sizes chunks
  // with the same measurements as the local pool.
  nb::class_<ChunkSizer>(m, "ChunkSizer", "Automatic chunk sizes from measured task durations.")
      .def(nb::init<>())
      .def("record", &ChunkSizer::record, "duration_ns"_a, "items"_a)
      .def("suggest", &ChunkSizer::suggest, "remaining"_a, "workers"_a)
      .def_prop_ro("item_ns", &ChunkSizer::item_ns);
  m.attr("UNKNOWN_REMAINING") = ChunkSizer::kUnknownRemaining;

  nb::class_<WorkerEndpoint>(m, "WorkerEndpoint", "A worker's end of its pool's channels.")
      .def(nb::init<int, size_t, pid_t, pid_t, const std::string&>(), "fd"_a, "slot"_a, "owner"_a, "parent"_a,
           "segment_prefix"_a)
      .def("receive",
           [](WorkerEndpoint& endpoint) -> nb::object {
             std::optional<IncomingMessage> message;
             {
               nb::gil_scoped_release unlocked;
               message = endpoint.receive();
             }
             if (!message) return nb::none();
             const auto& h = message->header;
             return nb::make_tuple(h.kind, h.job_id, h.task_id, h.first_item, h.item_count,
                                   to_bytes(message->payload), to_memoryviews(message->buffers));
           },
           "(kind, job_id, task_id, first_item, item_count, payload, buffers), or None once the owner is gone.")
      .def("send",
           [](WorkerEndpoint& endpoint, uint32_t kind, uint64_t job, uint64_t task, uint64_t first, uint64_t count,
              uint64_t duration_ns, nb::bytes payload, nb::list buffers) {
             OutgoingMessage message;
             message.header.kind = kind;
             message.header.job_id = job;
             message.header.task_id = task;
             message.header.first_item = first;
             message.header.item_count = count;
             message.header.duration_ns = duration_ns;
             message.payload = bytes_of(payload);
             message.buffers = stage_all(buffers, [&](std::span<const std::byte> b) { return endpoint.stage(b); });
             nb::gil_scoped_release unlocked;
             return endpoint.send(std::move(message));
           })
      .def("set_current_item", &WorkerEndpoint::set_current_item);
}
