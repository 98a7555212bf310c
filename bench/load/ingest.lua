-- wrk script: POSTs pre-signed inbound messages (see gen_requests.mjs), each once.
-- Env: MERIDIAN_INBOX (inbox id), MERIDIAN_REQUESTS (the file gen_requests.mjs wrote);
-- optional MERIDIAN_PATH (default the API channel's inbound URL) and MERIDIAN_SIG_HEADER
-- (default X-Meridian-Signature), e.g. /webhooks/whatsapp/<id> and X-Hub-Signature-256.
local requests = {}
for line in io.lines(os.getenv("MERIDIAN_REQUESTS")) do
  local tab = line:find("\t", 1, true)
  requests[#requests + 1] = {line:sub(1, tab - 1), line:sub(tab + 1)}
end
local path = os.getenv("MERIDIAN_PATH") or
             ("/api/v1/inboxes/" .. os.getenv("MERIDIAN_INBOX") .. "/inbound")
local sig_header = os.getenv("MERIDIAN_SIG_HEADER") or "X-Meridian-Signature"
local counter = 0
local thread_count = 0

function setup(thread)
  thread:set("offset", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  counter = offset
end

function request()
  local r = requests[(counter % #requests) + 1]
  counter = counter + 2
  return wrk.format("POST", path, {["Content-Type"] = "application/json",
                                   [sig_header] = r[2]}, r[1])
end

function done(summary, latency, requests_)
  io.write(string.format("requests=%d errors_status=%d p50_ms=%.2f p99_ms=%.2f rps=%.0f\n",
    summary.requests, summary.errors.status, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6)))
end
