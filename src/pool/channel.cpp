#include "pool/channel.h"

#include "pool/segment_cache.h"

#include <array>
#include <cstring>
#include <stdexcept>

namespace accel::pool {

StagedBuffer stage_in_segment(SegmentNamer& namer, std::span<const std::byte> bytes) {
  StagedBuffer staged{namer.next(), bytes.size(), bytes.size()};
  create_named_segment(staged.location, bytes);
  return staged;
}

void spill_large_payload(OutgoingMessage& message, SegmentCache& segments, std::size_t max_inline) {
  if (message.payload.size() <= max_inline || (message.header.flags & kPayloadInBuffer)) return;
  message.buffers.push_back(segments.stage(message.payload));
  message.header.flags |= kPayloadInBuffer;
  message.header.payload_size = message.payload.size();
  message.payload.clear();
  message.payload.shrink_to_fit();
}

std::size_t max_inline_payload(const RingBuffer& ring) { return ring.max_message_size() / 4; }

bool try_write_message(RingBuffer& ring, const OutgoingMessage& message, bool notify) {
  const EncodedMessage encoded = encode(message);
  const std::array<std::span<const std::byte>, 3> parts{
      std::as_bytes(std::span(&encoded.header, 1)),
      std::as_bytes(std::span(encoded.refs)),
      encoded.inline_payload,
  };
  return ring.try_write(parts, notify);
}

IncomingMessage read_message(std::span<const std::byte> frame, SegmentCache& segments,
                             const std::shared_ptr<ReturnQueue>& returns) {
  auto decoded = decode(frame);
  if (!decoded) throw CorruptChannel("malformed message in a pool channel");
  IncomingMessage message;
  message.header = decoded->header;
  if (message.header.kind == static_cast<uint32_t>(MessageKind::ReturnBuffers)) {
    for (const BufferRef& ref : decoded->refs) segments.returned(ref.location);
    message.header.buffer_count = 0;
    return message;
  }
  message.buffers.reserve(decoded->refs.size());
  for (const BufferRef& ref : decoded->refs) message.buffers.push_back(segments.lease(ref, returns));
  if (message.header.flags & kPayloadInBuffer) {
    const BufferLease& spilled = *message.buffers.back();
    message.payload.assign(spilled.data(), spilled.data() + spilled.size());
    message.buffers.pop_back();
    message.header.flags &= ~kPayloadInBuffer;
  } else {
    message.payload.assign(decoded->inline_payload.begin(), decoded->inline_payload.end());
  }
  message.header.buffer_count = static_cast<uint32_t>(message.buffers.size());
  return message;
}

std::optional<OutgoingMessage> make_return_message(const std::vector<std::string>& names) {
  if (names.empty()) return std::nullopt;
  OutgoingMessage message;
  message.header.kind = static_cast<uint32_t>(MessageKind::ReturnBuffers);
  for (const std::string& name : names) message.buffers.push_back({name, 0, 0});
  return message;
}

void discard_segments(const OutgoingMessage& message, SegmentCache& segments) {
  for (const StagedBuffer& buffer : message.buffers) segments.forget(buffer.location);
}

void discard_unread_messages(RingBuffer& ring) {
  while (auto frame = ring.peek()) {
    if (auto decoded = decode(*frame))
      for (const BufferRef& ref : decoded->refs) remove_named_segment(ref.location);
    ring.pop();
  }
}

}  // namespace accel::pool
