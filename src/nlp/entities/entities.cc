#include "nlp/entities/entities.h"

#include <re2/re2.h>

#include <algorithm>

namespace meridian::nlp {
namespace {

// Lower rank wins an overlap.
int Rank(EntityType type) {
  switch (type) {
    case EntityType::kTrackingNumber:
      return 0;
    case EntityType::kEmail:
      return 1;
    case EntityType::kOrderNumber:
      return 2;
    case EntityType::kPhone:
      return 3;
    case EntityType::kAmount:
      return 4;
    case EntityType::kDate:
      return 5;
  }
  return 6;
}

// Keeps the best of overlapping entities: by rank, then longer, then earlier.
std::vector<Entity> ResolveOverlaps(std::vector<Entity> all) {
  std::sort(all.begin(), all.end(), [](const Entity& a, const Entity& b) {
    if (Rank(a.type) != Rank(b.type)) return Rank(a.type) < Rank(b.type);
    if (a.end - a.start != b.end - b.start) return a.end - a.start > b.end - b.start;
    return a.start < b.start;
  });
  std::vector<Entity> kept;
  for (Entity& e : all) {
    bool overlaps = std::any_of(kept.begin(), kept.end(), [&](const Entity& k) {
      return e.start < k.end && k.start < e.end;
    });
    if (!overlaps) kept.push_back(std::move(e));
  }
  std::sort(kept.begin(), kept.end(),
            [](const Entity& a, const Entity& b) { return a.start < b.start; });
  return kept;
}

bool HasDigit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string_view EntityTypeName(EntityType type) {
  switch (type) {
    case EntityType::kOrderNumber:
      return "order_number";
    case EntityType::kTrackingNumber:
      return "tracking_number";
    case EntityType::kEmail:
      return "email";
    case EntityType::kPhone:
      return "phone";
    case EntityType::kAmount:
      return "amount";
    case EntityType::kDate:
      return "date";
  }
  return "unknown";
}

OrderNumberConfig OrderNumberConfig::Default() {
  OrderNumberConfig config;
  config.patterns = {
      // "#1234", "# 100234"
      R"((?:^|[^\w&])#\s?(\d{3,12})\b)",
      // "order 100234", "order no. 4711", "Bestellung Nr. 4711", "pedido 5531", "commande n° 77"
      R"(\b(?:order|bestellung|bestellnummer|auftrag|pedido|commande|ordine|encomenda|bestelling)"
      R"()(?:\s*(?:number|num\.?|no\.?|nr\.?|nummer|número|n[°º]|#|id))?\s*[:#]?\s*#?([A-Z]{0,5}-?\d[\w-]{2,24}))",
      // "订单号 12345", "注文番号 12345"
      R"((?:订单号?|訂單號?|注文番号)\s*[:：]?\s*([A-Z0-9][\w-]{3,24}))",
      // "ORD-2024-00017", "SO-12345"
      R"(\b((?:ORD|SO|PO|INV)-\d{2,}(?:-\d{2,})*)\b)",
  };
  return config;
}

struct EntityExtractor::Impl {
  std::vector<std::unique_ptr<RE2>> order_patterns;
};

EntityExtractor::EntityExtractor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EntityExtractor::~EntityExtractor() = default;

Result<std::unique_ptr<EntityExtractor>> EntityExtractor::Create(OrderNumberConfig config) {
  auto impl = std::make_unique<Impl>();
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  for (const std::string& pattern : config.patterns) {
    auto re = std::make_unique<RE2>(pattern, options);
    if (!re->ok()) {
      return Status::InvalidArgument("order number pattern '" + pattern + "': " + re->error(),
                                     "bad_order_pattern");
    }
    impl->order_patterns.push_back(std::move(re));
  }
  return std::unique_ptr<EntityExtractor>(new EntityExtractor(std::move(impl)));
}

void FindEmails(std::string_view text, std::vector<Entity>& out) {
  static const RE2 kEmail(
      R"(([A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)"
      R"((?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24})\b)");
  if (text.find('@') == std::string_view::npos) return;
  re2::StringPiece input(text.data(), text.size());
  re2::StringPiece m;
  while (RE2::FindAndConsume(&input, kEmail, &m)) {
    Entity e;
    e.type = EntityType::kEmail;
    e.start = static_cast<size_t>(m.data() - text.data());
    e.end = e.start + m.size();
    e.text = std::string(m.data(), m.size());
    e.normalized = e.text;
    for (char& c : e.normalized) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    e.confidence = 0.95;
    out.push_back(std::move(e));
  }
}

std::vector<Entity> EntityExtractor::Extract(std::string_view text,
                                             const ExtractOptions& options) const {
  std::vector<Entity> all;
  FindEmails(text, all);
  bool digits = HasDigit(text);
  if (digits) {
    FindTrackingNumbers(text, all);
    for (const auto& re : impl_->order_patterns) {
      const re2::StringPiece full(text.data(), text.size());
      const int ngroups = std::min(2, re->NumberOfCapturingGroups() + 1);
      size_t pos = 0;
      while (pos < text.size()) {
        re2::StringPiece groups[2];
        if (!re->Match(full, pos, full.size(), RE2::UNANCHORED, groups, ngroups)) break;
        re2::StringPiece value = ngroups > 1 && groups[1].data() ? groups[1] : groups[0];
        size_t next = static_cast<size_t>(groups[0].data() + groups[0].size() - text.data());
        pos = std::max(next, pos + 1);
        if (!HasDigit(std::string_view(value.data(), value.size()))) continue;
        Entity e;
        e.type = EntityType::kOrderNumber;
        // The span is the id, with its "#" when written "#1234".
        size_t value_start = static_cast<size_t>(value.data() - text.data());
        size_t match_start = static_cast<size_t>(groups[0].data() - text.data());
        size_t hash = text.substr(match_start, value_start - match_start).find('#');
        e.start = hash != std::string_view::npos ? match_start + hash : value_start;
        e.end = value_start + value.size();
        e.text = std::string(text.substr(e.start, e.end - e.start));
        e.normalized = std::string(value.data(), value.size());
        e.confidence = 0.85;
        all.push_back(std::move(e));
      }
    }
    // The phone matcher is the costliest step; no phone number has fewer than 6 digits.
    if (std::count_if(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) >= 6) {
      FindPhones(text, options.region, all);
    }
    FindAmounts(text, options.region, all);
  }
  FindDates(text, options, all);
  return ResolveOverlaps(std::move(all));
}

}  // namespace meridian::nlp
