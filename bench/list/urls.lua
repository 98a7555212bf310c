-- wrk script: GETs the URLs listed in LIST_URLS (one path per line) in turn, authenticated with
-- the bearer token in LIST_TOKEN; each thread starts at a different offset.
local urls = {}
for line in io.lines(os.getenv("LIST_URLS")) do
  if #line > 0 then urls[#urls + 1] = line end
end
local headers = {["Authorization"] = "Bearer " .. os.getenv("LIST_TOKEN")}
local counter = 0
local thread_count = 0

function setup(thread)
  thread:set("offset", thread_count * 7)
  thread_count = thread_count + 1
end

function init(args)
  counter = offset or 0
end

function request()
  local url = urls[(counter % #urls) + 1]
  counter = counter + 1
  return wrk.format("GET", url, headers)
end

function done(summary, latency, requests_)
  io.write(string.format("requests=%d non2xx=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f rps=%.0f\n",
    summary.requests, summary.errors.status, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.requests / (summary.duration / 1e6)))
end
