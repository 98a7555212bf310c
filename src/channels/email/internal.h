#pragma once
// Private to channels/email: helpers shared by the parser's files and unit-tested directly.

#include <functional>
#include <string>
#include <string_view>

#include "channels/email/email.h"

namespace meridian::channels::email::internal {

// ASCII lower-case copy (header names, charset labels, tokens).
std::string AsciiLower(std::string_view s);
// `s` without leading/trailing spaces, tabs, CR and LF.
std::string TrimWhitespace(std::string_view s);

// Header value by name (case-insensitive); empty when absent.
using HeaderFn = std::function<std::string(std::string_view)>;

// Sets email.automated / automated_reason from the headers (RFC 3834 Auto-Submitted,
// Precedence, X-Autoreply, X-Autorespond, List-Id, null Return-Path, MAILER-DAEMON senders).
// `has_delivery_status`: the body is a multipart/report or has a message/delivery-status part.
void ClassifyAutomated(const HeaderFn& header, bool has_delivery_status, ParsedEmail& email);

// Fills `info` from a message/delivery-status body (RFC 3464 section 2): the first recipient
// block's Final-Recipient, Action and Status.
void ParseDeliveryStatus(std::string_view body, BounceInfo& info);

// The Message-ID in a block of headers (text/rfc822-headers), without angle brackets.
std::string MessageIdFromHeaders(std::string_view headers);

// "<a@b> <c@d>" or broken variants -> {"a@b", "c@d"}; tolerant of missing brackets.
std::vector<std::string> ParseMessageIdList(std::string_view value);

}  // namespace meridian::channels::email::internal
