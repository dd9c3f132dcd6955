-- wrk: items-api's request mix, the same fixed cycle of 100 requests on every
-- connection: 80 GET /items, 14 GET /items/:id (ids 1 to 14), 4 GET /health,
-- 2 POST /items with a valid JSON body (201). Formatted once, at start.
local cycle = {}
local next = 0

function init(args)
  local post = '{"name": "无线鼠标", "stock": 8}'
  for i = 1, 100 do
    local request
    if i % 50 == 0 then
      request = wrk.format("POST", "/items", { ["Content-Type"] = "application/json" }, post)
    elseif i % 25 == 12 then
      request = wrk.format("GET", "/health", {})
    elseif i % 7 == 0 then
      request = wrk.format("GET", "/items/" .. (i / 7), {})
    else
      request = wrk.format("GET", "/items", {})
    end
    cycle[i] = request
  end
end

function request()
  next = next % 100 + 1
  return cycle[next]
end
