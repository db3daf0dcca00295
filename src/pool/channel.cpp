#include "pool/channel.h"

#include <array>
#include <cstring>
#include <stdexcept>

namespace accel::pool {

StagedBuffer stage_in_segment(SegmentNamer& namer, std::span<const std::byte> bytes) {
  StagedBuffer staged{namer.next(), bytes.size()};
  create_named_segment(staged.location, bytes);
  return staged;
}

void spill_large_payload(OutgoingMessage& message, SegmentNamer& namer, std::size_t max_inline) {
  if (message.payload.size() <= max_inline || (message.header.flags & kPayloadInBuffer)) return;
  message.buffers.push_back(stage_in_segment(namer, message.payload));
  message.header.flags |= kPayloadInBuffer;
  message.header.payload_size = message.payload.size();
  message.payload.clear();
  message.payload.shrink_to_fit();
}

std::size_t max_inline_payload(const RingBuffer& ring) { return ring.max_message_size() / 4; }

bool try_write_message(RingBuffer& ring, const OutgoingMessage& message) {
  const EncodedMessage encoded = encode(message);
  const std::array<std::span<const std::byte>, 3> parts{
      std::as_bytes(std::span(&encoded.header, 1)),
      std::as_bytes(std::span(encoded.refs)),
      encoded.inline_payload,
  };
  return ring.try_write(parts);
}

IncomingMessage read_message(std::span<const std::byte> frame) {
  auto decoded = decode(frame);
  if (!decoded) throw std::runtime_error("malformed message in a pool channel");
  IncomingMessage message;
  message.header = decoded->header;
  message.buffers.reserve(decoded->refs.size());
  for (const BufferRef& ref : decoded->refs)
    message.buffers.push_back(std::make_shared<MappedRegion>(take_named_segment(ref.location, ref.size)));
  if (message.header.flags & kPayloadInBuffer) {
    const MappedRegion& spilled = *message.buffers.back();
    message.payload.assign(spilled.data(), spilled.data() + spilled.size());
    message.buffers.pop_back();
    message.header.flags &= ~kPayloadInBuffer;
  } else {
    message.payload.assign(decoded->inline_payload.begin(), decoded->inline_payload.end());
  }
  message.header.buffer_count = static_cast<uint32_t>(message.buffers.size());
  return message;
}

void discard_segments(const OutgoingMessage& message) {
  for (const StagedBuffer& buffer : message.buffers) remove_named_segment(buffer.location);
}

void discard_unread_messages(RingBuffer& ring) {
  while (auto frame = ring.peek()) {
    if (auto decoded = decode(*frame))
      for (const BufferRef& ref : decoded->refs) remove_named_segment(ref.location);
    ring.pop();
  }
}

}  // namespace accel::pool
