-- wrk script: POST /v1/responses with a new response id on every request, rotating over the device
-- keys in KEYS (comma-separated) and the communes in UNITS. All 19 SIPAS items are answered.
-- Environment: KEYS, UNITS, SUBMITTED_AT (RFC 3339 with offset), BATCH (responses per request; 0 = single).
local keys, units = {}, {}
for k in string.gmatch(os.getenv("KEYS") or "", "[^,]+") do keys[#keys + 1] = k end
for u in string.gmatch(os.getenv("UNITS") or "", "[^,]+") do units[#units + 1] = u end
local submittedAt = os.getenv("SUBMITTED_AT")
local batch = tonumber(os.getenv("BATCH") or "0")
local items = { "a1", "a2", "a3", "a4", "p1", "p2", "p3", "p4", "s1", "s2", "s3", "s4", "s5", "r1", "r2", "r3", "f1", "f2", "f3" }

thread_id = 0  -- set per thread by setup()
local counter = 0
local threads = 0

function setup(thread)
    threads = threads + 1
    thread:set("thread_id", threads)
end

local function response_json()
    counter = counter + 1
    local id = string.format("%08x-%04x-4%03x-8%03x-%012x", math.random(0, 0x7fffffff), thread_id, counter % 4096,
        math.random(0, 4095), counter)
    local answers = {}
    for i, item in ipairs(items) do
        answers[i] = string.format('"%s":%d', item, 1 + (counter + i) % 5)
    end
    return string.format(
        '{"id":"%s","survey":"sipas","surveyVersion":1,"unit":"%s","channel":"kiosk","answers":{%s},"submittedAt":"%s"}',
        id, units[1 + counter % #units], table.concat(answers, ","), submittedAt)
end

function init(args)
    math.randomseed(os.time() * 1000 + thread_id)
end

request = function()
    local body
    if batch > 0 then
        local list = {}
        for i = 1, batch do list[i] = response_json() end
        body = '{"responses":[' .. table.concat(list, ",") .. ']}'
    else
        body = response_json()
    end
    local headers = {
        ["Content-Type"] = "application/json",
        ["Authorization"] = "Bearer " .. keys[1 + counter % #keys],
    }
    return wrk.format("POST", batch > 0 and "/v1/responses/batch" or "/v1/responses", headers, body)
end
