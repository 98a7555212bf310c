#include "http/hub.h"

#include <gtest/gtest.h>

namespace meridian::http {
namespace {

class RecordingSocket : public WebSocket {
 public:
  void Send(std::string text) override { frames.push_back(std::move(text)); }
  void Close() override {}
  std::vector<std::string> frames;
};

TEST(HubTest, PublishesToSubscribersOfTheTopicOnly) {
  Hub hub;
  auto agent = std::make_shared<RecordingSocket>();
  auto visitor = std::make_shared<RecordingSocket>();
  hub.Subscribe("agents", agent);
  hub.Subscribe("visitor:1:abc", visitor);
  EXPECT_EQ(hub.Publish("agents", "a"), 1u);
  EXPECT_EQ(hub.Publish("visitor:1:abc", "v"), 1u);
  EXPECT_EQ(hub.Publish("visitor:1:other", "x"), 0u);
  EXPECT_EQ(agent->frames, std::vector<std::string>{"a"});
  EXPECT_EQ(visitor->frames, std::vector<std::string>{"v"});
}

TEST(HubTest, ClosedSocketsAndUnsubscribedOnesReceiveNothing) {
  Hub hub;
  auto kept = std::make_shared<RecordingSocket>();
  uint64_t token = hub.Subscribe("agents", kept);
  {
    auto gone = std::make_shared<RecordingSocket>();
    hub.Subscribe("agents", gone);
  }
  EXPECT_EQ(hub.Publish("agents", "1"), 1u);
  EXPECT_EQ(hub.SubscriberCount("agents"), 1u);
  hub.Unsubscribe("agents", token);
  EXPECT_EQ(hub.Publish("agents", "2"), 0u);
  EXPECT_EQ(kept->frames.size(), 1u);
}

}  // namespace
}  // namespace meridian::http
