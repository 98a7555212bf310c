// Command groups whose components are not built yet. Each function moves to its own
// cmd_<group>.cc when its component lands; delete it from here then.
#include "app/commands.h"

namespace meridian::app {}  // namespace meridian::app
