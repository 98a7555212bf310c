#include "channels/instagram/instagram_channel.h"

#include "channels/messenger/messenger_channel.h"

namespace meridian::channels {

std::unique_ptr<ChannelFactory> MakeInstagramChannelFactory() {
  return MakeMetaMessagingChannelFactory("instagram", "instagram");
}

}  // namespace meridian::channels
