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
}

}  // namespace
}  // namespace meridian::channels
