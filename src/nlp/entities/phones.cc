// Phone numbers through libphonenumber (Google's metadata), output as E.164.

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumbermatch.h>
#include <phonenumbers/phonenumbermatcher.h>
#include <phonenumbers/phonenumberutil.h>

#include <string>

#include "nlp/entities/entities.h"

namespace meridian::nlp {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberMatch;
using i18n::phonenumbers::PhoneNumberMatcher;
using i18n::phonenumbers::PhoneNumberUtil;

std::string Region(std::string_view region) {
  std::string r(region);
  for (char& c : r) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return r.empty() ? std::string("ZZ") : r;
}

}  // namespace

void FindPhones(std::string_view text, std::string_view region, std::vector<Entity>& out) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  // The matcher gives up after max_tries failed candidates; that bounds its cost on long text.
  constexpr int kMaxTries = 64;
  PhoneNumberMatcher matcher(util, std::string(text), Region(region), PhoneNumberMatcher::VALID,
                             kMaxTries);
  PhoneNumberMatch match;
  while (matcher.HasNext() && matcher.Next(&match)) {
    Entity e;
    e.type = EntityType::kPhone;
    e.start = static_cast<size_t>(match.start());
    e.end = e.start + static_cast<size_t>(match.length());
    if (e.end > text.size()) continue;
    e.text = std::string(text.substr(e.start, e.end - e.start));
    util.Format(match.number(), PhoneNumberUtil::E164, &e.normalized);
    util.GetRegionCodeForNumber(match.number(), &e.country);
    e.confidence = e.text.front() == '+' ? 0.95 : 0.8;
    out.push_back(std::move(e));
  }
}

bool IsValidPhone(std::string_view candidate, std::string_view region, std::string* e164) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  if (util.Parse(std::string(candidate), Region(region), &number) !=
      PhoneNumberUtil::NO_PARSING_ERROR) {
    return false;
  }
  if (!util.IsValidNumber(number)) return false;
  if (e164 != nullptr) util.Format(number, PhoneNumberUtil::E164, e164);
  return true;
}

}  // namespace meridian::nlp
