#include "channels/webchat/webchat_channel.h"

#include <gtest/gtest.h>

namespace meridian::channels {
namespace {

TEST(VisitorTokenTest, RoundTripsAndCannotBeForgedOrMoved) {
  std::string token = IssueVisitorToken("install-secret", 3, "visitor42");
  auto v = VerifyVisitorToken("install-secret", token);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->inbox_id, 3);
  EXPECT_EQ(v->visitor_id, "visitor42");
  EXPECT_FALSE(VerifyVisitorToken("other-secret", token).has_value());
  std::string moved = "4" + token.substr(1);  // same visitor, another inbox
  EXPECT_FALSE(VerifyVisitorToken("install-secret", moved).has_value());
  EXPECT_FALSE(VerifyVisitorToken("install-secret", "garbage").has_value());
  EXPECT_FALSE(VerifyVisitorToken("install-secret", "..").has_value());
  EXPECT_FALSE(VerifyVisitorToken("install-secret", "x.y.z").has_value());
}

TEST(WebchatChannelTest, DeliversLiveNotThroughTheOutbox) {
  Inbox inbox;
  inbox.channel = "webchat";
  auto channel = MakeWebchatChannelFactory()->Create(inbox).value();
  EXPECT_FALSE(channel->capabilities().uses_outbox);
  EXPECT_FALSE(channel->ParseWebhook("{}").ok());
  // Files both ways (CH9), 10 MB unless `serve` says otherwise.
  EXPECT_TRUE(channel->capabilities().sends_attachments);
  EXPECT_EQ(channel->capabilities().max_attachment_bytes, 10 << 20);
  auto small = MakeWebchatChannelFactory({.max_upload_bytes = 1000})->Create(inbox).value();
  EXPECT_EQ(small->capabilities().max_attachment_bytes, 1000);
}

TEST(AttachmentSignatureTest, OpensOneFileForOneVisitorUntilItExpires) {
  VisitorToken visitor{3, "visitor42"};
  std::string sig = SignAttachment("install-secret", 17, visitor, 1'800'000'000);
  EXPECT_TRUE(VerifyAttachmentSignature("install-secret", 17, visitor, 1'800'000'000, sig));
  // Another file, visitor, inbox, expiry or secret: refused.
  EXPECT_FALSE(VerifyAttachmentSignature("install-secret", 18, visitor, 1'800'000'000, sig));
  EXPECT_FALSE(
      VerifyAttachmentSignature("install-secret", 17, {3, "visitor43"}, 1'800'000'000, sig));
  EXPECT_FALSE(
      VerifyAttachmentSignature("install-secret", 17, {4, "visitor42"}, 1'800'000'000, sig));
  EXPECT_FALSE(VerifyAttachmentSignature("install-secret", 17, visitor, 1'900'000'000, sig));
  EXPECT_FALSE(VerifyAttachmentSignature("other-secret", 17, visitor, 1'800'000'000, sig));
  EXPECT_FALSE(VerifyAttachmentSignature("install-secret", 17, visitor, 1'800'000'000, ""));
  // Never the same MAC as a visitor token's, whatever the inputs.
  EXPECT_EQ(IssueVisitorToken("install-secret", 3, "visitor42").find(sig), std::string::npos);
}

}  // namespace
}  // namespace meridian::channels
