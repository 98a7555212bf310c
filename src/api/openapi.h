#pragma once
#include <string_view>

namespace meridian::api {
// The OpenAPI 3.1 description of the v1 API, served at /api/v1/openapi.json.
std::string_view OpenApiDocument();
}  // namespace meridian::api
