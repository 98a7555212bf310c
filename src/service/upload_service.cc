#include "service/upload_service.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "core/text.h"
#include "service/mailbox_worker.h"

namespace meridian::service {

UploadQuota::Bucket UploadQuota::Refilled(const Bucket& b, TimestampMs now) const {
  double elapsed = static_cast<double>(std::max<TimestampMs>(0, now - b.at));
  double window = static_cast<double>(limits_.window_ms);
  Bucket out;
  out.files = std::min<double>(limits_.files, b.files + elapsed * limits_.files / window);
  out.bytes = std::min<double>(static_cast<double>(limits_.bytes),
                               b.bytes + elapsed * static_cast<double>(limits_.bytes) / window);
  out.at = now;
  return out;
}

int64_t UploadQuota::Take(const std::string& key, int64_t bytes, TimestampMs now) {
  double need = static_cast<double>(std::min(bytes, limits_.bytes));
  double window = static_cast<double>(limits_.window_ms);
  std::lock_guard lock(mu_);
  if (buckets_.size() > 100'000) {
    // Forget visitors whose allowance is whole again: they are as if never seen.
    std::erase_if(buckets_, [&](const auto& entry) {
      Bucket b = Refilled(entry.second, now);
      return b.files >= limits_.files && b.bytes >= static_cast<double>(limits_.bytes);
    });
  }
  auto [it, fresh] = buckets_.try_emplace(
      key, Bucket{static_cast<double>(limits_.files), static_cast<double>(limits_.bytes), now});
  Bucket b = fresh ? it->second : Refilled(it->second, now);
  if (b.files >= 1 && b.bytes >= need) {
    b.files -= 1;
    b.bytes -= need;
    it->second = b;
    return 0;
  }
  it->second = b;
  double wait_files = b.files >= 1 ? 0 : (1 - b.files) * window / limits_.files;
  double wait_bytes =
      b.bytes >= need ? 0 : (need - b.bytes) * window / static_cast<double>(limits_.bytes);
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(std::max(wait_files, wait_bytes))));
}

namespace {

// What a file-only message says in text (like provider media without a caption), so lists and
// previews have something to show; the widget and the workspace show the file instead.
std::string Placeholder(const std::string& content_type) {
  return content_type.rfind("image/", 0) == 0 ? "[image]" : "[document]";
}

std::string MessageKind(const std::string& content_type) {
  return content_type.rfind("image/", 0) == 0 ? "image" : "document";
}

}  // namespace

bool IsAcceptedUploadType(std::string_view mime) {
  for (std::string_view a : kAcceptedUploadTypes) {
    if (a == mime) return true;
  }
  return false;
}

Result<SniffedType> CheckUpload(std::string_view bytes, int64_t max_bytes) {
  if (bytes.empty()) return Status::Unprocessable("the file is empty", "empty_file");
  if (static_cast<int64_t>(bytes.size()) > max_bytes) {
    return Status::TooLarge(fmt::format("the file is larger than {} bytes", max_bytes));
  }
  SniffedType type = SniffContentType(bytes);
  if (!IsAcceptedUploadType(type.mime)) {
    return Status::Unprocessable(
        fmt::format("files of type {} are not accepted: send an image (JPEG, PNG, GIF, WebP), "
                    "a PDF or plain text",
                    type.mime),
        "unsupported_media_type");
  }
  return type;
}

std::string CleanFilename(std::string_view name, std::string_view extension) {
  size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string kept;
  if (text::IsValidUtf8(name)) {
    for (unsigned char c : name) {
      if (c >= 0x20 && c != 0x7F && c != '"') kept += static_cast<char>(c);
    }
  }
  auto nfc = text::NormalizeNfc(kept);
  std::string out = nfc.ok() ? std::string(text::TruncateUtf8(*nfc, 200)) : std::string();
  size_t start = out.find_first_not_of(" .");
  out = start == std::string::npos ? std::string() : out.substr(start);
  if (out.empty()) out = fmt::format("file.{}", extension);
  return out;
}

UploadService::UploadService(store::Store& store, store::BlobStore& blobs,
                             channels::ChannelRegistry& channels,
                             ConversationService& conversations)
    : store_(store), blobs_(blobs), channels_(channels), conversations_(conversations) {}

Result<Attachment> UploadService::Keep(const Inbox& inbox, UploadedFile& file, bool* created) {
  MERIDIAN_ASSIGN_OR_RETURN(auto channel, channels_.For(inbox));
  int64_t limit = channel->capabilities().max_attachment_bytes;
  MERIDIAN_ASSIGN_OR_RETURN(SniffedType type, CheckUpload(file.bytes, limit));
  Attachment described;
  described.filename = CleanFilename(file.filename, type.extension);
  described.claimed_type = std::string(text::TruncateUtf8(file.claimed_type, 200));
  described.size = static_cast<int64_t>(file.bytes.size());
  {
    std::lock_guard lock(mu_);
    ++in_flight_;
  }
  auto stored = StoreAttachmentBlob(blobs_, file.bytes, limit, std::move(described), created);
  if (!stored.ok()) {
    std::lock_guard lock(mu_);
    --in_flight_;
  }
  return stored;
}

void UploadService::Finish(const Attachment& a, bool created, bool named) {
  std::lock_guard lock(mu_);
  --in_flight_;
  // Another upload may have found this very blob already stored and be about to name it.
  if (named || !created || in_flight_ > 0) return;
  auto referenced = store_.IsBlobReferenced(a.sha256_hex);
  if (!referenced.ok() || *referenced) return;
  Status removed = blobs_.Remove(a.sha256_hex);
  if (!removed.ok()) spdlog::warn("upload: an unused blob was not removed: {}", removed.message());
}

void UploadService::ReceiveAsync(store::InboundMessage message, UploadedFile file,
                                 store::Callback<store::IngestResult> done) {
  auto inbox = store_.GetInbox(message.inbox_id);
  if (!inbox.ok()) return done(inbox.status());
  if (!message.text.empty()) {
    auto caption = ConversationService::CleanText(message.text, "caption");
    if (!caption.ok()) return done(caption.status());
  }
  bool created = false;
  auto attachment = Keep(*inbox, file, &created);
  if (!attachment.ok()) return done(attachment.status());
  if (message.text.empty()) message.text = Placeholder(attachment->content_type);
  message.content_type = MessageKind(attachment->content_type);
  message.attachments = {*attachment};
  conversations_.IngestAsync(
      std::move(message),
      [this, a = *attachment, created, done = std::move(done)](Result<store::IngestResult> r) {
        Finish(a, created, r.ok() && !r->duplicate);
        done(std::move(r));
      });
}

void UploadService::ReplyAsync(Id conversation_id, const Agent& agent, std::string caption,
                               UploadedFile file, std::optional<std::string> client_message_id,
                               store::Callback<store::AppendResult> done) {
  auto route = conversations_.ChannelOf(conversation_id);
  if (!route.ok()) return done(route.status());
  // Refused before any byte is stored.
  Status files = CheckSendsAttachments(*route->channel);
  if (!files.ok()) return done(files);
  if (!caption.empty()) {
    auto clean = ConversationService::CleanText(caption, "caption");
    if (!clean.ok()) return done(clean.status());
  }
  if (!caption.empty() && !route->channel->capabilities().file_captions) {
    return done(Status::Unprocessable(
        fmt::format("{} sends files without text: send the caption as its own message",
                    route->channel->name()),
        "caption_not_supported"));
  }
  int64_t max_caption = route->channel->capabilities().max_caption_chars;
  if (max_caption > 0 && static_cast<int64_t>(text::CodePointCount(caption)) > max_caption) {
    return done(
        Status::Unprocessable(fmt::format("{} allows captions of at most {} characters with a file",
                                          route->channel->name(), max_caption),
                              "caption_too_long"));
  }
  bool created = false;
  auto attachment = Keep(route->inbox, file, &created);
  if (!attachment.ok()) return done(attachment.status());
  ReplyOptions options;
  options.file_only = caption.empty();
  if (caption.empty()) caption = Placeholder(attachment->content_type);
  options.client_message_id = std::move(client_message_id);
  options.attachments = {*attachment};
  conversations_.ReplyAsync(
      conversation_id, agent, std::move(caption), std::move(options),
      [this, a = *attachment, created, done = std::move(done)](Result<store::AppendResult> r) {
        Finish(a, created, r.ok() && !r->duplicate);
        done(std::move(r));
      });
}

}  // namespace meridian::service
