#pragma once
// The WhatsApp Business Management API's template list
// (https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/message_templates/):
// GET /{WABA-ID}/message_templates answers {"data": [{"name", "language", "status", "category",
// "components": [{"type": "HEADER"|"BODY"|"FOOTER"|"BUTTONS", "format"?, "text"?,
// "buttons"?}], "id"}], "paging": {"cursors": {"before", "after"}, "next"?}}, one entry per
// (name, language). Private to channels/whatsapp.

#include <string>
#include <string_view>

#include "channels/channel.h"

namespace meridian::channels::whatsapp {

// Distinct {{...}} placeholders in a component's text ({{1}}, {{2}} or named ones).
int CountPlaceholders(std::string_view text);

// Folds one page into `catalog` (entries of a name already seen add their language). Answers the
// `after` cursor when the page says another follows (paging.next), else "". InvalidArgument for
// a body that is not the documented shape.
Result<std::string> AddTemplatePage(std::string_view body, TemplateCatalog& catalog);

}  // namespace meridian::channels::whatsapp
