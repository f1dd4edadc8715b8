-- wrk: GET /api/bot/slots/ for a random doctor and one of the next 30 days.
local secret = os.getenv("TELEGRAM_BOT_API_SECRET") or "bench"
wrk.headers["Authorization"] = "Bearer " .. secret
math.randomseed(os.time())
request = function()
  local day = os.date("!%Y-%m-%d", os.time() + 86400 * math.random(1, 30))
  return wrk.format("GET", "/api/bot/slots/?doctor_id=" .. math.random(1, 200) .. "&date=" .. day)
end
