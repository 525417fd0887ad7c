-- wrk script: each request asks for a first feed page as the next of many viewers (one access
-- token per line in the file named by FEED_TOKENS), so every viewer gets a few pages, as in a session.
local tokens = {}
for line in io.lines(os.getenv("FEED_TOKENS")) do
  tokens[#tokens + 1] = line
end
local next_token = 0

function setup(thread)
  thread:set("offset", math.random(#tokens))
end

request = function()
  next_token = next_token + 1
  local token = tokens[((next_token + (offset or 0)) % #tokens) + 1]
  return wrk.format("GET", wrk.path, { ["Authorization"] = "Bearer " .. token })
end
