#include "store/blob_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/crypto.h"

namespace meridian::store {
namespace {

namespace fs = std::filesystem;

bool IsSha256Hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Status WriteAllAndSync(int fd, std::string_view bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status::Unavailable(std::string("blob write failed: ") + strerror(errno));
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0)
    return Status::Unavailable(std::string("blob fsync failed: ") + strerror(errno));
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<BlobStore>> BlobStore::Open(fs::path root) {
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) return Status::Unavailable("cannot create " + root.string() + ": " + ec.message());
  return std::unique_ptr<BlobStore>(new BlobStore(std::move(root)));
}

fs::path BlobStore::PathOf(std::string_view hex) const {
  if (!IsSha256Hex(hex)) return {};
  return root_ / std::string(hex.substr(0, 2)) / std::string(hex.substr(2));
}

bool BlobStore::Contains(std::string_view hex) const {
  fs::path p = PathOf(hex);
  std::error_code ec;
  return !p.empty() && fs::is_regular_file(p, ec);
}

Result<BlobRef> BlobStore::Put(std::string_view bytes) {
  BlobRef ref{crypto::HexEncode(crypto::Sha256(bytes)), bytes.size()};
  fs::path target = PathOf(ref.sha256_hex);
  std::error_code ec;
  if (fs::is_regular_file(target, ec) && fs::file_size(target, ec) == bytes.size()) return ref;
  fs::create_directories(target.parent_path(), ec);
  if (ec) return Status::Unavailable("cannot create a blob directory: " + ec.message());
  std::string tmpl = (target.parent_path() / ".tmp-XXXXXX").string();
  int fd = mkstemp(tmpl.data());
  if (fd < 0) return Status::Unavailable(std::string("cannot create a blob: ") + strerror(errno));
  Status written = WriteAllAndSync(fd, bytes);
  close(fd);
  if (written.ok() && rename(tmpl.c_str(), target.c_str()) != 0) {
    written = Status::Unavailable(std::string("cannot store a blob: ") + strerror(errno));
  }
  if (!written.ok()) {
    unlink(tmpl.c_str());
    return written;
  }
  // The rename is durable once the directory entry is.
  int dir = open(target.parent_path().c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    fsync(dir);
    close(dir);
  }
  ref.created = true;
  return ref;
}

Status BlobStore::Remove(std::string_view hex) {
  if (!IsSha256Hex(hex)) return Status::InvalidArgument("not a blob name", "invalid_blob_name");
  std::error_code ec;
  fs::remove(PathOf(hex), ec);
  if (ec) return Status::Unavailable("cannot remove a blob: " + ec.message());
  return Status::Ok();
}

Result<std::string> BlobStore::Get(std::string_view hex) const {
  if (!IsSha256Hex(hex)) return Status::InvalidArgument("not a blob name", "invalid_blob_name");
  std::ifstream in(PathOf(hex), std::ios::binary);
  if (!in) return Status::NotFound("no such blob", "blob_not_found");
  std::ostringstream out;
  out << in.rdbuf();
  std::string bytes = std::move(out).str();
  if (crypto::HexEncode(crypto::Sha256(bytes)) != hex) {
    return Status::Internal("a blob does not match its name", "blob_corrupt");
  }
  return bytes;
}

}  // namespace meridian::store
