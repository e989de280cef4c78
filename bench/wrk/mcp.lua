-- wrk script for every MCP Streamable HTTP workload of the benchmark.
--
--   MCP_WORKLOAD=call|list|big|stream|session  wrk -t1 -cN -dS -s bench/wrk/mcp.lua http://host:port/path
--
-- Environment:
--   MCP_WORKLOAD        which workload (default call)
--   MCP_TOOL            name of the echo tool as this target exposes it (say through the gateway, else echo);
--                       several names separated by commas are called in turn (a portal's members: s01_echo,s02_echo)
--   MCP_TOKEN           bearer token sent as Authorization (optional)
--   MCP_HEADER          one more header, "Name: value" (optional; mcp-proxy's X-API-Key)
--   MCP_SESSIONS_FILE   file of session ids, one per line, opened beforehand by bench/lib/open-sessions.mjs
--                       (call/list/big/stream spread requests over them round-robin; empty lines = no header)
--   MCP_VERSION         MCP-Protocol-Version header (default 2025-11-25). A version newer than 2025-11-25
--                       (2026-07-28) speaks the stateless era: no sessions; every request carries
--                       MCP-Protocol-Version, Mcp-Method, Mcp-Name (tools/call) and params._meta with
--                       io.modelcontextprotocol/protocolVersion and .../clientCapabilities ({}); the
--                       session workload is not available there
--
-- Every response is checked: HTTP status < 300 (wrk counts the others), a JSON-RPC "result" and no
-- "error" / "isError":true at the end of the body. The "session" workload runs whole sessions
-- (initialize -> notifications/initialized -> tools/list -> tools/call -> DELETE), many at once,
-- sequenced through a queue: the JSON-RPC id ("<session>:<step>") says which session an answer
-- belongs to, since wrk does not say which connection a response came from.
-- done() prints one machine-readable line: BENCH_RESULT {json}.

local workload = os.getenv("MCP_WORKLOAD") or "call"
local tools = {}
for name in string.gmatch(os.getenv("MCP_TOOL") or "echo", "[^,%s]+") do table.insert(tools, name) end
local tool = tools[1]
local token = os.getenv("MCP_TOKEN")
local version = os.getenv("MCP_VERSION") or "2025-11-25"
local stateless = version > "2025-11-25"
local meta = stateless and ('"io.modelcontextprotocol/protocolVersion":"' .. version
  .. '","io.modelcontextprotocol/clientCapabilities":{}') or nil
local sessions_file = os.getenv("MCP_SESSIONS_FILE")
local extra_name, extra_value = string.match(os.getenv("MCP_HEADER") or "", "^([^:]+):%s*(.*)$")

local threads = {}
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end

-- per thread ---------------------------------------------------------------------------------
local sessions = {}
local next_session = 0
local counter = 0
-- globals, so that done() can read them with thread:get()
bad, checked, sampled, progress_events, sessions_done = 0, 0, 0, 0, 0
bad_examples = nil
local queue, queue_head, queue_tail = {}, 1, 0
local path
local next_tool = 0

local function base_headers(session)
  local h = {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json, text/event-stream",
  }
  if token and token ~= "" then h["Authorization"] = "Bearer " .. token end
  if extra_name then h[extra_name] = extra_value end
  if session and session ~= "" then
    h["Mcp-Session-Id"] = session
    h["MCP-Protocol-Version"] = version
  end
  if stateless then h["MCP-Protocol-Version"] = version end
  return h
end

function init(args)
  path = wrk.path
  if sessions_file and sessions_file ~= "" then
    local f = io.open(sessions_file, "r")
    if f then
      for line in f:lines() do table.insert(sessions, line) end
      f:close()
    end
  end
  if #sessions == 0 or stateless then sessions = { "" } end
  -- a different starting point per thread
  next_session = ((tid or 1) - 1) % #sessions
end

local function next_id()
  counter = counter + 1
  return (tid or 1) * 100000000 + counter
end

-- the stateless era's _meta members, after the request's own (none in the session era)
local function with_meta(own)
  if not stateless then
    return own and (',"_meta":{' .. own .. '}') or ""
  end
  return ',"_meta":{' .. (own and (own .. ",") or "") .. meta .. '}'
end

local function next_tool_name()
  next_tool = next_tool % #tools + 1
  return tools[next_tool]
end

-- each: id -> body, method, name (the name for the stateless era's Mcp-Name)
local bodies = {
  call = function(id)
    local name = next_tool_name()
    return '{"jsonrpc":"2.0","id":' .. id .. ',"method":"tools/call","params":{"name":"' .. name
      .. '","arguments":{"message":"hello from wrk"}' .. with_meta(nil) .. '}}', "tools/call", name
  end,
  list = function(id)
    return '{"jsonrpc":"2.0","id":' .. id .. ',"method":"tools/list","params":{' .. string.sub(with_meta(nil), 2) .. '}}',
      "tools/list", nil
  end,
  big = function(id)
    return '{"jsonrpc":"2.0","id":' .. id .. ',"method":"tools/call","params":{"name":"big","arguments":{}'
      .. with_meta(nil) .. '}}', "tools/call", "big"
  end,
  stream = function(id)
    return '{"jsonrpc":"2.0","id":' .. id .. ',"method":"tools/call","params":{"name":"stream","arguments":{}'
      .. with_meta('"progressToken":"p' .. id .. '"') .. '}}', "tools/call", "stream"
  end,
}

-- session workload ---------------------------------------------------------------------------
local session_ids = {}   -- slot -> Mcp-Session-Id

local function push(item)
  queue_tail = queue_tail + 1
  queue[queue_tail] = item
end

local function pop()
  if queue_head > queue_tail then return nil end
  local item = queue[queue_head]
  queue[queue_head] = nil
  queue_head = queue_head + 1
  return item
end

local function session_request()
  local item = pop()
  if item == nil then
    counter = counter + 1
    local slot = (tid or 1) * 100000000 + counter
    return wrk.format("POST", path, base_headers(nil),
      '{"jsonrpc":"2.0","id":"' .. slot .. ':init","method":"initialize","params":{"protocolVersion":"' .. version
      .. '","capabilities":{},"clientInfo":{"name":"wrk","version":"4"}}}')
  end
  local slot, step = item[1], item[2]
  local sid = session_ids[slot]
  if step == "initialized" then
    return wrk.format("POST", path, base_headers(sid), '{"jsonrpc":"2.0","method":"notifications/initialized"}')
  elseif step == "list" then
    return wrk.format("POST", path, base_headers(sid),
      '{"jsonrpc":"2.0","id":"' .. slot .. ':list","method":"tools/list","params":{}}')
  elseif step == "call" then
    return wrk.format("POST", path, base_headers(sid),
      '{"jsonrpc":"2.0","id":"' .. slot .. ':call","method":"tools/call","params":{"name":"' .. tool
      .. '","arguments":{"message":"hello from wrk"}}}')
  else -- delete
    session_ids[slot] = nil
    local h = base_headers(sid)
    h["Content-Type"] = nil
    return wrk.format("DELETE", path, h, nil)
  end
end

function request()
  if workload == "session" then return session_request() end
  next_session = next_session % #sessions + 1
  local h = base_headers(sessions[next_session])
  local body, method, name = bodies[workload](next_id())
  if stateless then
    h["Mcp-Method"] = method
    if name then h["Mcp-Name"] = name end
  end
  return wrk.format("POST", path, h, body)
end

local function note_bad(status, body)
  bad = bad + 1
  if bad_examples == nil then
    bad_examples = status .. " " .. string.sub(body, 1, 300)
  end
end

local function good_body(body)
  local n = #body
  if not string.find(body, '"result"', 1, true) then return false end
  local from = n > 4096 and n - 4096 or 1
  if string.find(body, '"error":', from, true) then return false end
  if string.find(body, '"isError":true', from, true) then return false end
  return true
end

function response(status, headers, body)
  checked = checked + 1
  if workload == "session" then
    if status >= 300 then note_bad(status, body) return end
    local slot, step = string.match(body, '"id":"(%d+):(%a+)"')
    if slot == nil then
      if #body > 0 then note_bad(status, body) end
      return -- 202 for the notification, 200 with no body for DELETE
    end
    slot = tonumber(slot)
    if not good_body(body) then note_bad(status, body) return end
    if step == "init" then
      local sid = nil
      for k, v in pairs(headers) do
        if string.lower(k) == "mcp-session-id" then sid = v end
      end
      session_ids[slot] = sid or ""
      push({ slot, "initialized" })
      push({ slot, "list" })
    elseif step == "list" then
      push({ slot, "call" })
    elseif step == "call" then
      sessions_done = sessions_done + 1
      push({ slot, "delete" })
    end
    return
  end
  if status >= 300 or not good_body(body) then note_bad(status, body) return end
  if workload == "stream" and checked % 20 == 1 then
    sampled = sampled + 1
    local _, n = string.gsub(body, "notifications/progress", "")
    progress_events = progress_events + n
  end
end

-- main state -------------------------------------------------------------------------------------
function done(summary, latency, requests)
  local total_bad, total_checked, total_sampled, total_progress, total_sessions = 0, 0, 0, 0, 0
  local example = nil
  for _, t in ipairs(threads) do
    total_bad = total_bad + (t:get("bad") or 0)
    total_checked = total_checked + (t:get("checked") or 0)
    total_sampled = total_sampled + (t:get("sampled") or 0)
    total_progress = total_progress + (t:get("progress_events") or 0)
    total_sessions = total_sessions + (t:get("sessions_done") or 0)
    example = example or t:get("bad_examples")
  end
  local e = summary.errors
  local secs = summary.duration / 1e6
  local function q(s)
    if s == nil then return "null" end
    s = string.gsub(s, '[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end)
    return '"' .. s .. '"'
  end
  io.write(string.format(
    'BENCH_RESULT {"workload":%s,"seconds":%.3f,"requests":%d,"bytes":%d,"rps":%.2f,'
    .. '"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d,"mean_us":%.1f,'
    .. '"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,"err_timeout":%d,'
    .. '"checked":%d,"bad":%d,"progress_per_response":%s,"sessions":%d,"bad_example":%s}\n',
    q(workload), secs, summary.requests, summary.bytes, summary.requests / secs,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout,
    total_checked, total_bad,
    total_sampled > 0 and string.format("%.1f", total_progress / total_sampled) or "null",
    total_sessions, q(example)))
end
