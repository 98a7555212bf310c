#pragma once
// Content-addressed blob storage for attachments and provider media (CH9, DESIGN.md section 4:
// "attachments under ./var/blobs/"). A blob is named by the SHA-256 of its bytes and lives at
// ROOT/ab/cdef... (the first two hex digits are a directory, so no directory grows past 256
// entries per level); the same bytes stored twice are one file. Writes go to a temporary file,
// are fsynced and renamed into place, so a crash never leaves a half-written blob under a
// valid name. Blobs are immutable; the database rows that name them (attachments) are the
// only index.
//
// Thread-safe: concurrent Puts of the same bytes race only on an atomic rename of identical
// content. Channels that download media (WhatsApp media ids, LINE content, Telegram files)
// store what they fetch here too.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace meridian::store {

struct BlobRef {
  std::string sha256_hex;  // 64 lower-case hex digits: the blob's name
  uint64_t size = 0;
  bool created = false;  // this Put wrote the file (false: the same bytes were there already)
};

class BlobStore {
 public:
  // Uses (and creates) `root`. Unavailable when it cannot be created.
  static Result<std::unique_ptr<BlobStore>> Open(std::filesystem::path root);

  // Stores `bytes` (idempotent). Unavailable on an I/O error (disk full, permissions).
  Result<BlobRef> Put(std::string_view bytes);
  // The bytes of a blob. InvalidArgument for a name that is not 64 hex digits, NotFound when
  // no such blob exists, Internal when the file no longer matches its name (corruption).
  Result<std::string> Get(std::string_view sha256_hex) const;
  bool Contains(std::string_view sha256_hex) const;
  // Deletes a blob: the undo of a Put whose database row was never written (callers make sure
  // no row names it). Ok when it did not exist; Unavailable on an I/O error.
  Status Remove(std::string_view sha256_hex);
  // Where a blob lives (whether or not it exists); empty for an invalid name.
  std::filesystem::path PathOf(std::string_view sha256_hex) const;

 private:
  explicit BlobStore(std::filesystem::path root) : root_(std::move(root)) {}
  std::filesystem::path root_;
};

}  // namespace meridian::store
