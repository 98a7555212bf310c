#include "api/openapi.h"

namespace meridian::api {

std::string_view OpenApiDocument() {
  static constexpr std::string_view kDocument = R"json({
  "openapi": "3.1.0",
  "info": {"title": "Meridian API", "version": "1.0.0",
           "description": "Customer service across borders. Errors are {\"error\":{\"code\",\"message\"}}."},
  "servers": [{"url": "/"}],
  "components": {
    "securitySchemes": {
      "bearer": {"type": "http", "scheme": "bearer"},
      "session": {"type": "apiKey", "in": "cookie", "name": "meridian_session"}
    },
    "schemas": {
      "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object",
        "required": ["code", "message"], "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
      "Agent": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
        "email": {"type": "string"}, "role": {"enum": ["admin", "supervisor", "agent"]},
        "language": {"enum": ["en", "zh-CN"]}}},
      "MessageSummary": {"type": "object", "properties": {"id": {"type": "integer"}, "text": {"type": "string"},
        "direction": {"enum": ["in", "out"]}, "sender_kind": {"enum": ["customer", "agent", "bot", "system"]},
        "created_at": {"type": "string", "format": "date-time"}}},
      "Conversation": {"type": "object", "required": ["id", "status", "contact", "last_message"], "properties": {
        "id": {"type": "integer"}, "status": {"enum": ["open", "pending", "snoozed", "resolved"]},
        "inbox": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "channel": {"type": "string"}}},
        "contact": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
        "assignee": {"type": ["object", "null"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
        "priority": {"type": "integer"}, "language": {"type": "string"}, "language_set_by_agent": {"type": "boolean"}, "unread_count": {"type": "integer"},
        "last_message": {"oneOf": [{"$ref": "#/components/schemas/MessageSummary"}, {"type": "null"}]},
        "last_activity_at": {"type": "string", "format": "date-time"}, "created_at": {"type": "string", "format": "date-time"}}},
      "Message": {"type": "object", "required": ["id", "direction", "sender_kind", "text", "created_at"], "properties": {
        "id": {"type": "integer"}, "conversation_id": {"type": "integer"}, "direction": {"enum": ["in", "out"]},
        "sender_kind": {"enum": ["customer", "agent", "bot", "system"]},
        "sender": {"type": ["object", "null"]}, "text": {"type": "string"}, "content_type": {"type": "string"},
        "status": {"enum": ["received", "pending", "sent", "delivered", "read", "failed"]},
        "client_message_id": {"type": ["string", "null"]}, "created_at": {"type": "string", "format": "date-time"},
        "meta": {"type": "object", "description": "Provider details. Email: meta.email {subject, message_id, in_reply_to, references, from, reply_to, to, cc, date, text_from_html, quoted_stripped, full_text?}; meta.automated (auto_reply|bulk|bounce) marks machine mail that automation must never answer; meta.bounce"},
        "attachments": {"type": "array", "description": "Agents only", "items": {"$ref": "#/components/schemas/Attachment"}}}},
      "Attachment": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
        "content_type": {"type": "string", "description": "Sniffed from the bytes, never the sender's claim"},
        "size": {"type": "integer"}, "inline": {"type": "boolean"}, "content_id": {"type": ["string", "null"]},
        "url": {"type": ["string", "null"], "description": "GET it with agent credentials; null when over the size limit"}}},
      "ConversationPage": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Conversation"}},
        "next_cursor": {"type": ["string", "null"]}}},
      "MessagePage": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}},
        "next_cursor": {"type": ["string", "null"]}}}
    },
    "responses": {
      "Error": {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    },
    "parameters": {
      "Id": {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}
    }
  },
  "security": [{"bearer": []}, {"session": []}],
  "paths": {
    "/api/v1/auth/login": {"post": {"summary": "Log in", "security": [],
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
        "required": ["email", "password"], "properties": {"email": {"type": "string"}, "password": {"type": "string"}}}}}},
      "responses": {"200": {"description": "Session opened; also sets meridian_session and meridian_csrf cookies",
        "content": {"application/json": {"schema": {"type": "object", "properties": {"token": {"type": "string"},
          "agent": {"$ref": "#/components/schemas/Agent"}}}}}}, "401": {"$ref": "#/components/responses/Error"},
        "429": {"$ref": "#/components/responses/Error"}}}},
    "/api/v1/auth/logout": {"post": {"summary": "Log out", "responses": {"200": {"description": "Logged out"}}}},
    "/api/v1/me": {
      "get": {"summary": "The calling agent", "responses": {"200": {"description": "Agent",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Agent"}}}}}},
      "patch": {"summary": "Set the interface language", "requestBody": {"content": {"application/json": {"schema": {
        "type": "object", "properties": {"language": {"enum": ["en", "zh-CN"]}}}}}},
        "responses": {"200": {"description": "Agent"}, "422": {"$ref": "#/components/responses/Error"}}}},
    "/api/v1/conversations": {"get": {"summary": "List conversations, unread first, then newest activity",
      "parameters": [
        {"name": "status", "in": "query", "schema": {"enum": ["open", "pending", "snoozed", "resolved", "all"], "default": "open"}},
        {"name": "assignee", "in": "query", "schema": {"enum": ["me", "none", "any"], "default": "any"}},
        {"name": "cursor", "in": "query", "schema": {"type": "string"}},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 200, "default": 50}}],
      "responses": {"200": {"description": "Page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ConversationPage"}}}},
        "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}}}},
    "/api/v1/conversations/{id}": {"get": {"summary": "One conversation", "parameters": [{"$ref": "#/components/parameters/Id"}],
      "responses": {"200": {"description": "Conversation", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Conversation"}}}},
        "404": {"$ref": "#/components/responses/Error"}}}},
    "/api/v1/conversations/{id}/messages": {
      "get": {"summary": "Messages, newest page first, oldest first within a page", "parameters": [{"$ref": "#/components/parameters/Id"},
        {"name": "cursor", "in": "query", "schema": {"type": "string"}}, {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "Page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MessagePage"}}}}}},
      "post": {"summary": "Reply as the calling agent", "parameters": [{"$ref": "#/components/parameters/Id"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
          "description": "text is required unless template is given",
          "properties": {"text": {"type": "string"}, "client_message_id": {"type": "string"},
            "template": {"type": "object", "required": ["name", "language"], "properties": {"name": {"type": "string"},
              "language": {"type": "string"}, "parameters": {"type": "array", "items": {"type": "string"}}}}}}}}},
        "responses": {"201": {"description": "Message", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}}},
          "404": {"$ref": "#/components/responses/Error"},
          "422": {"description": "Invalid field, unknown_template, or outside_messaging_window (error also carries window_closed_at, window_expires_at?, allowed_templates)",
                  "content": {"application/json": {"schema": {"type": "object"}}}}}}},
    "/api/v1/conversations/{id}/assign": {"post": {"summary": "Assign (default: to the caller; agent_id null unassigns)",
      "parameters": [{"$ref": "#/components/parameters/Id"}], "responses": {"200": {"description": "Conversation"}}}},
    "/api/v1/conversations/{id}/resolve": {"post": {"summary": "Resolve", "parameters": [{"$ref": "#/components/parameters/Id"}],
      "responses": {"200": {"description": "Conversation"}}}},
    "/api/v1/conversations/{id}/reopen": {"post": {"summary": "Reopen", "parameters": [{"$ref": "#/components/parameters/Id"}],
      "responses": {"200": {"description": "Conversation"}}}},
    "/api/v1/conversations/{id}/read": {"post": {"summary": "Mark read", "parameters": [{"$ref": "#/components/parameters/Id"}],
      "responses": {"200": {"description": "Conversation"}}}},
    "/api/v1/conversations/{id}/language": {"post": {"summary": "Set the conversation's language (kept over detection); null hands it back to detection",
      "parameters": [{"$ref": "#/components/parameters/Id"}],
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
        "required": ["language"], "properties": {"language": {"type": ["string", "null"], "example": "pt-BR"}}}}}},
      "responses": {"200": {"description": "Conversation"}, "422": {"$ref": "#/components/responses/Error"}}}},
    "/api/v1/inboxes": {
      "get": {"summary": "List inboxes (supervisor); polled inboxes (email) carry sync {healthy, error, failures, last_attempt_at, last_success_at}", "responses": {"200": {"description": "Inboxes"}}},
      "post": {"summary": "Create an inbox (admin)", "requestBody": {"content": {"application/json": {"schema": {"type": "object",
        "required": ["channel", "name"], "properties": {"channel": {"type": "string"}, "name": {"type": "string"}, "config": {"type": "object"}}}}}},
        "responses": {"201": {"description": "Inbox with its secret"}}}},
    "/api/v1/inboxes/{inbox_id}/inbound": {"post": {"summary": "API channel: an inbound message, signed",
      "security": [], "parameters": [{"name": "inbox_id", "in": "path", "required": true, "schema": {"type": "integer"}},
        {"name": "X-Meridian-Signature", "in": "header", "required": true, "schema": {"type": "string"},
         "description": "sha256=<hex HMAC-SHA256 of the raw body with the inbox secret>"}],
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
        "required": ["message_id", "sender", "text"], "properties": {"message_id": {"type": "string"},
          "sender": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "name": {"type": "string"}}},
          "text": {"type": "string"}, "timestamp": {"type": "integer"}}}}}},
      "responses": {"200": {"description": "Stored durably (or a duplicate)"}, "401": {"$ref": "#/components/responses/Error"},
        "400": {"$ref": "#/components/responses/Error"}, "413": {"$ref": "#/components/responses/Error"},
        "422": {"$ref": "#/components/responses/Error"}}}},
    "/webhooks/{channel}/{inbox_id}": {
      "get": {"summary": "Meta webhook verification (whatsapp, messenger, instagram): answers hub.challenge", "security": [],
        "parameters": [{"name": "channel", "in": "path", "required": true, "schema": {"type": "string"}},
          {"name": "inbox_id", "in": "path", "required": true, "schema": {"type": "integer"}},
          {"name": "hub.mode", "in": "query", "schema": {"type": "string"}}, {"name": "hub.verify_token", "in": "query", "schema": {"type": "string"}},
          {"name": "hub.challenge", "in": "query", "schema": {"type": "string"}}],
        "responses": {"200": {"description": "The challenge, text/plain"}, "403": {"$ref": "#/components/responses/Error"}}},
      "post": {"summary": "Provider webhook (whatsapp, messenger, instagram, line, telegram, twilio), signed the provider's way", "security": [],
        "parameters": [{"name": "channel", "in": "path", "required": true, "schema": {"type": "string"}},
          {"name": "inbox_id", "in": "path", "required": true, "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "Stored durably (or a duplicate)"}, "401": {"$ref": "#/components/responses/Error"},
          "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"},
          "422": {"$ref": "#/components/responses/Error"}}}},
    "/api/v1/attachments/{id}": {"get": {"summary": "An attachment's bytes (agents). Content-Type sniffed from the bytes; raster images, PDF and plain text inline, everything else (HTML, SVG, archives...) as a download",
      "parameters": [{"$ref": "#/components/parameters/Id"}],
      "responses": {"200": {"description": "The file, with Content-Disposition, X-Content-Type-Options: nosniff and a sandboxing CSP"},
        "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}},
    "/api/v1/dead-letters": {"get": {"summary": "Outbound messages that could not be delivered (supervisor)",
      "responses": {"200": {"description": "Dead letters"}}}},
    "/api/v1/widget/{inbox_id}/session": {"post": {"summary": "Web chat: start or resume a visitor session", "security": [],
      "parameters": [{"name": "inbox_id", "in": "path", "required": true, "schema": {"type": "integer"}}],
      "responses": {"200": {"description": "Token, visitor and conversation id"}}}},
    "/api/v1/widget/messages": {"get": {"summary": "Web chat: the visitor's history", "security": [],
      "parameters": [{"name": "token", "in": "query", "required": true, "schema": {"type": "string"}}],
      "responses": {"200": {"description": "Messages"}}}},
    "/healthz": {"get": {"summary": "Liveness", "security": [], "responses": {"200": {"description": "Up"}}}},
    "/readyz": {"get": {"summary": "Readiness", "security": [], "responses": {"200": {"description": "Ready"}, "503": {"description": "Not ready"}}}},
    "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "Text exposition format"}}}}
  }
})json";
  return kDocument;
}

}  // namespace meridian::api
