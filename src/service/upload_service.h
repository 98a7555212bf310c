#pragma once
// Files sent in web chat, both ways (CH9; issue 3: attachments "received by ... web chat").
// A visitor's upload becomes an inbound message with the file attached; an agent's becomes a
// reply with the file attached, delivered live like any web chat reply.
//
// In both directions the type is sniffed from the bytes (the claimed type is only recorded) and
// only an allow-list is accepted: JPEG, PNG, GIF and WebP images, PDF, plain text. The
// channel's max_attachment_bytes caps the size. The bytes go to the content-addressed blob store
// (StoreAttachmentBlob) before the message that names them is written in one transaction with
// its attachment row; when that write fails, or the message turns out to be a duplicate of one
// stored before, a blob this upload created and no row names is removed again. So a failure
// leaves neither a blob without a message nor a message without its blob.
//
// Thread-safe. The methods block on disk I/O (the blob is written and fsynced): call them off
// the I/O threads. `done` runs on the store's completion thread.

#include <array>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "channels/channel.h"
#include "core/sniff.h"
#include "service/conversation_service.h"
#include "store/blob_store.h"
#include "store/store.h"

namespace meridian::service {

// A file as it arrived over HTTP: its bytes and what the sender said about them.
struct UploadedFile {
  std::string bytes;
  std::string filename;      // as the sender named it; cleaned by CleanFilename
  std::string claimed_type;  // the Content-Type the sender gave (recorded, never trusted)
};

// The upload allow-list, by type sniffed from the bytes.
inline constexpr std::array<std::string_view, 6> kAcceptedUploadTypes = {
    "image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf", "text/plain"};
bool IsAcceptedUploadType(std::string_view sniffed_mime);

// The sniffed type of an acceptable upload. Unprocessable("empty_file") for no bytes,
// TooLarge("too_large") above `max_bytes`, Unprocessable("unsupported_media_type") for a type
// outside the allow-list (HTML claiming to be a PNG is HTML).
Result<SniffedType> CheckUpload(std::string_view bytes, int64_t max_bytes);

// A file name safe to keep and show: the last path segment, NFC, without control characters,
// at most 200 bytes; "file.<extension>" when nothing is left.
std::string CleanFilename(std::string_view name, std::string_view extension);

// How much one web chat visitor may upload: at most `files` files and `bytes` bytes per
// `window_ms`, as two token buckets that refill continuously (a burst of a few photos is fine;
// a script filling the disk is not). Keyed by the caller (inbox and visitor). Thread-safe.
class UploadQuota {
 public:
  struct Limits {
    int files = 20;
    int64_t bytes = int64_t{100} << 20;
    int64_t window_ms = 10 * 60 * 1000;
  };
  explicit UploadQuota(Limits limits) : limits_(limits) {}
  UploadQuota() : UploadQuota(Limits{}) {}
  // 0 when an upload of `bytes` may go now (and counts it), else the milliseconds until it may.
  // A file larger than the byte allowance counts as the whole allowance.
  int64_t Take(const std::string& key, int64_t bytes, TimestampMs now);

 private:
  struct Bucket {
    double files = 0;
    double bytes = 0;
    TimestampMs at = 0;
  };
  // The bucket refilled up to `now`.
  Bucket Refilled(const Bucket& b, TimestampMs now) const;

  const Limits limits_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

class UploadService {
 public:
  UploadService(store::Store& store, store::BlobStore& blobs, channels::ChannelRegistry& channels,
                ConversationService& conversations);

  // A customer's file into `message.inbox_id`, with `message.text` as its caption (may be
  // empty). De-duplicated on message.provider_message_id like every inbound message (a
  // duplicate answers the message stored first). NotFound for an unknown inbox, the errors of
  // CheckUpload (limit of the inbox's channel), Unprocessable for a bad caption, Unavailable
  // when the blob cannot be written.
  void ReceiveAsync(store::InboundMessage message, UploadedFile file,
                    store::Callback<store::IngestResult> done);

  // An agent's file as a reply with an optional caption: NotFound for an unknown conversation,
  // Unprocessable("attachments_not_supported") when its channel cannot deliver files, the
  // errors of CheckUpload, then as ConversationService::ReplyAsync.
  void ReplyAsync(Id conversation_id, const Agent& agent, std::string caption, UploadedFile file,
                  std::optional<std::string> client_message_id,
                  store::Callback<store::AppendResult> done);

 private:
  // Checks and stores the file for `inbox`'s channel; the attachment row to write.
  Result<Attachment> Keep(const Inbox& inbox, UploadedFile& file, bool* created);
  // The upload of `a` is over. When its message was not `named` (not written, or a copy existed)
  // removes the blob this upload created unless a row names it or another upload is under way
  // (which may be about to).
  void Finish(const Attachment& a, bool created, bool named);

  store::Store& store_;
  store::BlobStore& blobs_;
  channels::ChannelRegistry& channels_;
  ConversationService& conversations_;

  std::mutex mu_;
  int in_flight_ = 0;  // uploads between their blob write and their message write; mu_
};

}  // namespace meridian::service
