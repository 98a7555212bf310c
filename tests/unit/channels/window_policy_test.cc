// The messaging-window policy with a fake clock: the boundaries users hit.
#include "channels/policy/window_policy.h"

#include <gtest/gtest.h>

namespace meridian::channels {
namespace {

constexpr int64_t kMinute = 60 * 1000;
const WindowRules kWhatsApp{.free_form_ms = kDayMs, .human_agent_ms = 0, .templates_outside = true};
const WindowRules kMessenger{
    .free_form_ms = kDayMs, .human_agent_ms = 7 * kDayMs, .templates_outside = false};

class WindowPolicyTest : public ::testing::Test {
 protected:
  WindowDecision At(const WindowRules& rules, int64_t after_last_ms,
                    SenderKind sender = SenderKind::kAgent, bool is_template = false) {
    clock_.Set(last_ + after_last_ms);
    return EvaluateWindow(rules, {.now = clock_.NowMs(),
                                  .last_inbound_at = last_,
                                  .sender = sender,
                                  .is_template = is_template});
  }
  TimestampMs last_ = 1'764'000'000'000;
  FakeClock clock_{0};
};

TEST_F(WindowPolicyTest, WhatsAppFreeFormOnlyWithin24Hours) {
  WindowDecision open = At(kWhatsApp, 23 * kHourMs + 59 * kMinute);
  EXPECT_TRUE(open.allowed);
  EXPECT_EQ(open.window_closed_at, last_ + kDayMs);
  WindowDecision closed = At(kWhatsApp, 24 * kHourMs + 1 * kMinute);
  EXPECT_FALSE(closed.allowed);
  EXPECT_EQ(closed.window_closed_at, last_ + kDayMs);
  EXPECT_NE(closed.message.find("template"), std::string::npos);
  EXPECT_FALSE(At(kWhatsApp, kDayMs).allowed) << "the 24th hour itself is outside";
}

TEST_F(WindowPolicyTest, WhatsAppTemplatesAreAllowedAnyTime) {
  EXPECT_TRUE(At(kWhatsApp, 30 * kDayMs, SenderKind::kAgent, true).allowed);
  EXPECT_TRUE(At(kWhatsApp, 30 * kDayMs, SenderKind::kBot, true).allowed);
  // A customer who never wrote can only be reached with a template.
  EXPECT_FALSE(EvaluateWindow(kWhatsApp, {.now = last_}).allowed);
  EXPECT_TRUE(EvaluateWindow(kWhatsApp, {.now = last_, .is_template = true}).allowed);
}

TEST_F(WindowPolicyTest, MessengerHumanAgentTagOnlyForHumansUpTo7Days) {
  WindowDecision inside = At(kMessenger, 23 * kHourMs + 59 * kMinute, SenderKind::kBot);
  EXPECT_TRUE(inside.allowed);
  EXPECT_EQ(inside.messaging_type, "RESPONSE");
  EXPECT_EQ(inside.tag, "");

  WindowDecision human = At(kMessenger, 24 * kHourMs + 1 * kMinute, SenderKind::kAgent);
  EXPECT_TRUE(human.allowed);
  EXPECT_EQ(human.messaging_type, "MESSAGE_TAG");
  EXPECT_EQ(human.tag, "HUMAN_AGENT");

  for (SenderKind automated : {SenderKind::kBot, SenderKind::kSystem}) {
    WindowDecision bot = At(kMessenger, 24 * kHourMs + 1 * kMinute, automated);
    EXPECT_FALSE(bot.allowed) << "never HUMAN_AGENT for automation";
    EXPECT_NE(bot.message.find("human agent"), std::string::npos);
  }

  EXPECT_TRUE(At(kMessenger, 7 * kDayMs - kMinute, SenderKind::kAgent).allowed);
  WindowDecision late = At(kMessenger, 7 * kDayMs + kMinute, SenderKind::kAgent);
  EXPECT_FALSE(late.allowed);
  EXPECT_EQ(late.window_expires_at, last_ + 7 * kDayMs);
  EXPECT_NE(late.message.find("7 days"), std::string::npos);
  // Messenger has no templates to fall back to.
  EXPECT_FALSE(At(kMessenger, 8 * kDayMs, SenderKind::kAgent, true).allowed);
}

TEST_F(WindowPolicyTest, ChannelsWithoutWindowAllowEverything) {
  EXPECT_TRUE(At(WindowRules{}, 365 * kDayMs, SenderKind::kBot).allowed);
  EXPECT_TRUE(EvaluateWindow(WindowRules{}, {.now = 0}).allowed);
}

TEST_F(WindowPolicyTest, DescribeWindowCountsDownForTheWorkspace) {
  WindowStatus open = DescribeWindow(kWhatsApp, last_ + 23 * kHourMs, last_);
  EXPECT_EQ(open.state, WindowState::kOpen);
  EXPECT_EQ(open.closes_at, last_ + kDayMs);
  EXPECT_EQ(open.expires_at, last_ + kDayMs);
  EXPECT_EQ(WindowStateName(open.state), "open");
  WindowStatus closed = DescribeWindow(kWhatsApp, last_ + kDayMs, last_);
  EXPECT_EQ(closed.state, WindowState::kClosed) << "agrees with EvaluateWindow at 24h";
  EXPECT_EQ(closed.closes_at, last_ + kDayMs);

  WindowStatus tagged = DescribeWindow(kMessenger, last_ + 2 * kDayMs, last_);
  EXPECT_EQ(tagged.state, WindowState::kHumanAgentOnly);
  EXPECT_EQ(WindowStateName(tagged.state), "human_agent_only");
  EXPECT_EQ(tagged.expires_at, last_ + 7 * kDayMs);
  EXPECT_EQ(DescribeWindow(kMessenger, last_ + 7 * kDayMs, last_).state, WindowState::kClosed);
  EXPECT_EQ(DescribeWindow(kMessenger, last_ + kHourMs, last_).expires_at, last_ + 7 * kDayMs);

  WindowStatus never = DescribeWindow(kWhatsApp, last_, std::nullopt);
  EXPECT_EQ(never.state, WindowState::kClosed) << "the customer never wrote";
  EXPECT_FALSE(never.closes_at.has_value());
  WindowStatus none = DescribeWindow(WindowRules{}, last_, last_);
  EXPECT_EQ(none.state, WindowState::kNone);
  EXPECT_EQ(WindowStateName(none.state), "none");
  EXPECT_FALSE(none.closes_at.has_value());
}

}  // namespace
}  // namespace meridian::channels
