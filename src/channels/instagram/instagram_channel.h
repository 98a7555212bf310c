#pragma once
// Instagram Direct channel: Instagram Messaging through the Messenger Platform. Same webhook
// shape, signature, Send API and window rules as Messenger (channels/messenger/), with
// object "instagram" and Instagram-scoped ids (IGSID).
//   https://developers.facebook.com/docs/messenger-platform/instagram/features/webhook
//   https://developers.facebook.com/docs/messenger-platform/instagram/features/send-message

#include <memory>

#include "channels/channel.h"

namespace meridian::channels {

std::unique_ptr<ChannelFactory> MakeInstagramChannelFactory();

}  // namespace meridian::channels
