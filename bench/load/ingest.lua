-- wrk script: POSTs pre-signed inbound messages (see gen_requests.mjs), each once.
-- Env: MERIDIAN_INBOX (inbox id), MERIDIAN_REQUESTS (the file gen_requests.mjs wrote);
-- optional MERIDIAN_PATH (default the API channel's inbound URL) and MERIDIAN_SIG_HEADER
-- (default X-Meridian-Signature), e.g. /webhooks/whatsapp/<id> and X-Hub-Signature-256.
--
-- The raw requests are built once, before the clock starts (init), so that request() only picks
-- the next one: wrk shares the two cores with the server, and building each request with
-- wrk.format in Lua cost it about as much CPU as the server's HTTP threads spend on it.
local path = os.getenv("MERIDIAN_PATH") or
             ("/api/v1/inboxes/" .. os.getenv("MERIDIAN_INBOX") .. "/inbound")
local sig_header = os.getenv("MERIDIAN_SIG_HEADER") or "X-Meridian-Signature"
local requests = {}
local count = 0
local counter = 0
local thread_count = 0

function setup(thread)
  thread:set("offset", thread_count)
  thread:set("threads", thread_count + 1)
  thread_count = thread_count + 1
end

function init(args)
  local host = wrk.headers["Host"] or (wrk.host .. ":" .. wrk.port)
  local head = "POST " .. path .. " HTTP/1.1\r\nHost: " .. host ..
               "\r\nContent-Type: application/json\r\n" .. sig_header .. ": "
  -- This thread's share of the file: every thread_count-th line from its offset.
  local n = 0
  for line in io.lines(os.getenv("MERIDIAN_REQUESTS")) do
    if n % (threads or 1) == (offset or 0) then
      local tab = line:find("\t", 1, true)
      local body = line:sub(1, tab - 1)
      count = count + 1
      requests[count] = head .. line:sub(tab + 1) .. "\r\nContent-Length: " .. #body ..
                        "\r\n\r\n" .. body
    end
    n = n + 1
  end
end

function request()
  counter = counter + 1
  return requests[(counter - 1) % count + 1]
end

function done(summary, latency, requests_)
  io.write(string.format("requests=%d errors_status=%d p50_ms=%.2f p99_ms=%.2f rps=%.0f\n",
    summary.requests, summary.errors.status, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6)))
end
