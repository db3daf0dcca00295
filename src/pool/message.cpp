#include "pool/message.h"

#include <cstring>
#include <stdexcept>

namespace accel::pool {

EncodedMessage encode(const OutgoingMessage& message) {
  EncodedMessage encoded{message.header, {}, message.payload};
  encoded.header.buffer_count = static_cast<uint32_t>(message.buffers.size());
  encoded.refs.reserve(message.buffers.size());
  for (const StagedBuffer& buffer : message.buffers) {
    BufferRef ref;
    ref.size = buffer.size;
    ref.capacity = buffer.capacity;
    if (buffer.location.size() >= sizeof ref.location)
      throw std::length_error("buffer location too long: " + buffer.location);
    std::memcpy(ref.location, buffer.location.data(), buffer.location.size());
    encoded.refs.push_back(ref);
  }
  if (message.header.flags & kPayloadInBuffer) {
    encoded.inline_payload = {};
  } else {
    encoded.header.payload_size = message.payload.size();
  }
  return encoded;
}

std::optional<EncodedMessage> decode(std::span<const std::byte> frame) {
  EncodedMessage decoded;
  if (frame.size() < sizeof(MessageHeader)) return std::nullopt;
  std::memcpy(&decoded.header, frame.data(), sizeof(MessageHeader));
  const std::size_t refs_bytes = std::size_t{decoded.header.buffer_count} * sizeof(BufferRef);
  if (frame.size() < sizeof(MessageHeader) + refs_bytes) return std::nullopt;
  decoded.refs.resize(decoded.header.buffer_count);
  if (refs_bytes) std::memcpy(decoded.refs.data(), frame.data() + sizeof(MessageHeader), refs_bytes);
  for (BufferRef& ref : decoded.refs) ref.location[sizeof ref.location - 1] = '\0';
  auto rest = frame.subspan(sizeof(MessageHeader) + refs_bytes);
  const bool spilled = decoded.header.flags & kPayloadInBuffer;
  if (spilled ? decoded.refs.empty() : rest.size() != decoded.header.payload_size) return std::nullopt;
  decoded.inline_payload = spilled ? std::span<const std::byte>{} : rest;
  return decoded;
}

}  // namespace accel::pool
