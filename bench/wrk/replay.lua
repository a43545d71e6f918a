-- Replays prepared requests, one per line of a file: METHOD, path, Cookie header, form body,
-- separated by tabs. The lines carry each learner's session cookie and CSRF token, so that
-- every request is a signed-in learner's own (a lesson of their enrolment, their quiz).
--   wrk -t T -s replay.lua URL -- FILE T OFFSET USER_AGENT
-- Thread k of T sends lines OFFSET+k, OFFSET+k+T, ...: two threads never send the same line,
-- and a run can start where an earlier (warm-up) run stopped. At the end of its lines a
-- thread starts over; the caller compares the requests sent with the lines in the file.

local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  local threads, offset = tonumber(args[2]), tonumber(args[3])
  user_agent = args[4]
  local lines = {}
  for line in io.lines(args[1]) do
    lines[#lines + 1] = line
  end
  prepared = {}
  for n = id + 1, #lines, threads do
    prepared[#prepared + 1] = prepare(lines[(n - 1 + offset) % #lines + 1])
  end
  if #prepared == 0 then  -- fewer lines than threads: every thread sends them all
    for n = 1, #lines do
      prepared[n] = prepare(lines[n])
    end
  end
  index = 0
end

function prepare(line)
  local method, path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
  local headers = {["User-Agent"] = user_agent}
  if cookie ~= "" then headers["Cookie"] = cookie end
  if body == "" then
    body = nil
  else
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  return wrk.format(method, path, headers, body)
end

function request()
  index = index % #prepared + 1
  return prepared[index]
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, ' ..
    '"timeout": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, errors.connect, errors.read, errors.write, errors.status,
    errors.timeout, latency:percentile(50), latency:percentile(99)))
end
