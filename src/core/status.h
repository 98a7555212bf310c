#pragma once
// Status and Result<T>: expected failures as values (STYLE.md rule 7).
//
// A Status is cheap to copy when OK (no allocation). Each failure has a code from a small fixed
// set, which the HTTP layer maps onto a status code, and a machine-readable `reason` (e.g.
// "outside_messaging_window", "invalid_signature") that clients may switch on, plus a human
// message. No exception crosses a component boundary: code that calls a throwing library
// catches at its edge and returns a Status.

#include <cassert>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace meridian {

enum class StatusCode {
  kOk,
  kInvalidArgument,   // malformed input (400)
  kUnprocessable,     // well-formed but semantically invalid, e.g. a missing field (422)
  kUnauthenticated,   // no or bad credentials / signature (401)
  kPermissionDenied,  // authenticated but not allowed (403)
  kNotFound,          // 404
  kConflict,          // 409
  kTooLarge,          // 413
  kRateLimited,       // 429
  kUnavailable,       // transient: retry later (503)
  kInternal,          // a bug or an unexpected environment failure (500)
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string message, std::string reason = "invalid_argument") {
    return {StatusCode::kInvalidArgument, std::move(reason), std::move(message)};
  }
  static Status Unprocessable(std::string message, std::string reason = "unprocessable") {
    return {StatusCode::kUnprocessable, std::move(reason), std::move(message)};
  }
  static Status Unauthenticated(std::string message, std::string reason = "unauthenticated") {
    return {StatusCode::kUnauthenticated, std::move(reason), std::move(message)};
  }
  static Status PermissionDenied(std::string message, std::string reason = "forbidden") {
    return {StatusCode::kPermissionDenied, std::move(reason), std::move(message)};
  }
  static Status NotFound(std::string message, std::string reason = "not_found") {
    return {StatusCode::kNotFound, std::move(reason), std::move(message)};
  }
  static Status Conflict(std::string message, std::string reason = "conflict") {
    return {StatusCode::kConflict, std::move(reason), std::move(message)};
  }
  static Status TooLarge(std::string message, std::string reason = "too_large") {
    return {StatusCode::kTooLarge, std::move(reason), std::move(message)};
  }
  static Status RateLimited(std::string message, std::string reason = "rate_limited") {
    return {StatusCode::kRateLimited, std::move(reason), std::move(message)};
  }
  static Status Unavailable(std::string message, std::string reason = "unavailable") {
    return {StatusCode::kUnavailable, std::move(reason), std::move(message)};
  }
  static Status Internal(std::string message, std::string reason = "internal") {
    return {StatusCode::kInternal, std::move(reason), std::move(message)};
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  bool is_not_found() const { return code_ == StatusCode::kNotFound; }
  bool is_conflict() const { return code_ == StatusCode::kConflict; }
  bool is_invalid_argument() const { return code_ == StatusCode::kInvalidArgument; }
  bool is_unavailable() const { return code_ == StatusCode::kUnavailable; }

  // A transient failure's hint (a provider's Retry-After): not worth retrying sooner than
  // this. nullopt when nobody said.
  Status WithRetryAfter(int64_t ms) && {
    retry_after_ms_ = ms;
    return std::move(*this);
  }
  std::optional<int64_t> retry_after_ms() const {
    return retry_after_ms_ >= 0 ? std::optional<int64_t>(retry_after_ms_) : std::nullopt;
  }

  StatusCode code() const { return code_; }
  const std::string& reason() const { return reason_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

 private:
  Status(StatusCode code, std::string reason, std::string message)
      : code_(code), reason_(std::move(reason)), message_(std::move(message)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string reason_;
  std::string message_;
  int64_t retry_after_ms_ = -1;
};

// Result<T> holds either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : value_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(value_).ok() && "Result built from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(value_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(value_);
  }
  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace meridian

// Return early from the enclosing function when `expr` (a Status) is not OK.
#define MERIDIAN_RETURN_IF_ERROR(expr)                   \
  do {                                                   \
    ::meridian::Status meridian_status_ = (expr);        \
    if (!meridian_status_.ok()) return meridian_status_; \
  } while (false)

#define MERIDIAN_CONCAT_INNER(a, b) a##b
#define MERIDIAN_CONCAT(a, b) MERIDIAN_CONCAT_INNER(a, b)
// `lhs = value of expr` (a Result<T>), or return its Status from the enclosing function.
#define MERIDIAN_ASSIGN_OR_RETURN(lhs, expr)                     \
  auto MERIDIAN_CONCAT(meridian_result_, __LINE__) = (expr);     \
  if (!MERIDIAN_CONCAT(meridian_result_, __LINE__).ok())         \
    return MERIDIAN_CONCAT(meridian_result_, __LINE__).status(); \
  lhs = std::move(MERIDIAN_CONCAT(meridian_result_, __LINE__)).value()
