// The content-addressed blob store (CH9): names, idempotence, corruption and bad names.
#include "store/blob_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/crypto.h"

namespace meridian::store {
namespace {

namespace fs = std::filesystem;

class BlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("meridian-blobs-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    blobs_ = BlobStore::Open(root_ / "blobs").value();
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
  std::unique_ptr<BlobStore> blobs_;
};

TEST_F(BlobStoreTest, StoresUnderItsSha256AndReadsBack) {
  using namespace std::string_literals;
  std::string bytes = "\x89PNG\r\n\x1A\n\0\0binary"s;  // NULs included
  auto ref = blobs_->Put(bytes);
  ASSERT_TRUE(ref.ok()) << ref.status().ToString();
  std::string hex = crypto::HexEncode(crypto::Sha256(bytes));
  EXPECT_EQ(ref->sha256_hex, hex);
  EXPECT_EQ(ref->size, bytes.size());
  // var/blobs/ab/cdef...: the first two hex digits are a directory.
  EXPECT_TRUE(fs::is_regular_file(root_ / "blobs" / hex.substr(0, 2) / hex.substr(2)));
  EXPECT_TRUE(blobs_->Contains(hex));
  EXPECT_EQ(*blobs_->Get(hex), bytes);
}

TEST_F(BlobStoreTest, TheSameBytesTwiceAreOneFileAndNoTemporaryFilesRemain) {
  auto a = blobs_->Put("same bytes");
  auto b = blobs_->Put("same bytes");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->sha256_hex, b->sha256_hex);
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(root_ / "blobs")) {
    if (e.is_regular_file()) ++files;
  }
  EXPECT_EQ(files, 1);
  EXPECT_TRUE(blobs_->Put("").ok());  // an empty blob is a blob
}

TEST_F(BlobStoreTest, BadNamesAreRefusedAndMissingBlobsAreNotFound) {
  EXPECT_EQ(blobs_->Get("../../etc/passwd").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(blobs_->Get(std::string(64, 'A')).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(blobs_->PathOf("abc").empty());
  EXPECT_TRUE(blobs_->Get(std::string(64, 'a')).status().is_not_found());
  EXPECT_FALSE(blobs_->Contains(std::string(64, 'a')));
}

TEST_F(BlobStoreTest, PutSaysWhetherItWroteTheFileAndRemoveUndoesIt) {
  auto first = blobs_->Put("an upload");
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->created);
  auto again = blobs_->Put("an upload");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  ASSERT_TRUE(blobs_->Remove(first->sha256_hex).ok());
  EXPECT_FALSE(blobs_->Contains(first->sha256_hex));
  EXPECT_TRUE(blobs_->Remove(first->sha256_hex).ok());  // already gone: fine
  EXPECT_EQ(blobs_->Remove("../../etc/passwd").code(), StatusCode::kInvalidArgument);
}

TEST_F(BlobStoreTest, ACorruptedBlobIsAnErrorNotWrongBytes) {
  auto ref = blobs_->Put("original content");
  ASSERT_TRUE(ref.ok());
  std::ofstream(blobs_->PathOf(ref->sha256_hex), std::ios::trunc) << "tampered";
  EXPECT_EQ(blobs_->Get(ref->sha256_hex).status().reason(), "blob_corrupt");
  // Storing the right bytes again repairs it.
  ASSERT_TRUE(blobs_->Put("original content").ok());
  EXPECT_EQ(*blobs_->Get(ref->sha256_hex), "original content");
}

}  // namespace
}  // namespace meridian::store
