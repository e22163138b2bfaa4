package limit

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is a Limiter whose counters live in Redis, so that every gateway replica pointed at the same Redis (and
// prefix) shares the limits. Each call is one atomic Lua script run with EVALSHA, falling back to EVAL when the
// server does not have the script cached (after a restart or a failover).
//
// Keys, for a limiter key K: <prefix>{K}:rpm and <prefix>{K}:tpm are hashes of one-second buckets that expire
// 62 seconds after their last write; <prefix>{K}:d:<day> and <prefix>{K}:m:<month> hold the spend in nano-dollars
// and expire an hour after their UTC period ends. The braces are a Redis Cluster hash tag: all of one key's
// counters live in one slot, as a multi-key script requires. The prefix must not itself contain braces.
type Redis struct {
	c      redis.UniversalClient
	prefix string
}

// NewRedis returns a limiter using c, with every Redis key starting with prefix (for example "walens:limit:").
func NewRedis(c redis.UniversalClient, prefix string) *Redis {
	return &Redis{c: c, prefix: prefix}
}

var _ Limiter = (*Redis)(nil)

// admitScript reads a key's windows and spend, drops buckets that left the window, and counts the request when
// every limit has headroom. It returns {admitted, rpm total, rpm free-at second, tpm total, tpm free-at second,
// day spend, month spend}; a free-at second is -1 when that window has headroom.
var admitScript = redis.NewScript(`
local sec = tonumber(ARGV[1])
local oldest = sec - 60

local function scan(key, limit)
  local h = redis.call('HGETALL', key)
  local total = 0
  local live = {}
  local stale = {}
  for i = 1, #h, 2 do
    local s = tonumber(h[i])
    local n = tonumber(h[i + 1])
    if s < oldest then
      stale[#stale + 1] = h[i]
    else
      total = total + n
      live[#live + 1] = {s, n}
    end
  end
  if #stale > 0 then
    redis.call('HDEL', key, unpack(stale))
  end
  local free = -1
  if limit > 0 and total >= limit then
    table.sort(live, function(a, b) return a[1] < b[1] end)
    local need = total - limit + 1
    free = sec + 61
    for _, b in ipairs(live) do
      if b[1] > sec then break end
      need = need - b[2]
      if need <= 0 then
        free = b[1] + 61
        break
      end
    end
  end
  return total, free
end

local rpm = tonumber(ARGV[2])
local tpm = tonumber(ARGV[3])
local dayBudget = tonumber(ARGV[4])
local monthBudget = tonumber(ARGV[5])

local reqs, reqFree = scan(KEYS[1], rpm)
local toks, tokFree = scan(KEYS[2], tpm)
local day = tonumber(redis.call('GET', KEYS[3]) or '0')
local month = tonumber(redis.call('GET', KEYS[4]) or '0')

local ok = reqFree < 0 and tokFree < 0
if dayBudget > 0 and day >= dayBudget then ok = false end
if monthBudget > 0 and month >= monthBudget then ok = false end
local admitted = 0
if ok then
  redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
  redis.call('EXPIRE', KEYS[1], 62)
  admitted = 1
end
return {admitted, reqs, reqFree, toks, tokFree, day, month}
`)

// recordScript adds a finished request's tokens to the current bucket and its cost to the day and month sums.
var recordScript = redis.NewScript(`
if tonumber(ARGV[2]) > 0 then
  redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
  redis.call('EXPIRE', KEYS[1], 62)
end
if tonumber(ARGV[3]) > 0 then
  redis.call('INCRBY', KEYS[2], ARGV[3])
  redis.call('EXPIRE', KEYS[2], ARGV[4])
  redis.call('INCRBY', KEYS[3], ARGV[3])
  redis.call('EXPIRE', KEYS[3], ARGV[5])
end
return 1
`)

func (r *Redis) keys(key string, now time.Time) []string {
	base := r.prefix + "{" + key + "}"
	return []string{
		base + ":rpm",
		base + ":tpm",
		base + ":d:" + strconv.FormatInt(dayOf(now), 10),
		base + ":m:" + strconv.FormatInt(monthOf(now), 10),
	}
}

// Admit counts one request against key if every limit has headroom.
func (r *Redis) Admit(ctx context.Context, key string, l Limits, now time.Time) (Decision, error) {
	if err := validate(key, l); err != nil {
		return Decision{}, err
	}
	sec := now.Unix()
	res, err := admitScript.Run(ctx, r.c, r.keys(key, now),
		sec, l.RequestsPerMinute, l.TokensPerMinute, nanoUSD(l.DailyBudgetUSD), nanoUSD(l.MonthlyBudgetUSD)).Int64Slice()
	if err != nil {
		return Decision{}, fmt.Errorf("limit: admit %s in redis: %w", key, err)
	}
	if len(res) != 7 {
		return Decision{}, fmt.Errorf("limit: admit %s in redis: script returned %d values, want 7", key, len(res))
	}
	var v verdict
	if res[2] >= 0 {
		v.block(ReasonRequestsPerMinute, until(now, time.Unix(res[2], 0)))
	}
	if res[4] >= 0 {
		v.block(ReasonTokensPerMinute, until(now, time.Unix(res[4], 0)))
	}
	if l.DailyBudgetUSD > 0 && res[5] >= nanoUSD(l.DailyBudgetUSD) {
		v.block(ReasonDailyBudget, until(now, dayEnd(now)))
	}
	if l.MonthlyBudgetUSD > 0 && res[6] >= nanoUSD(l.MonthlyBudgetUSD) {
		v.block(ReasonMonthlyBudget, until(now, monthEnd(now)))
	}
	d := v.decision()
	if d.Allowed != (res[0] == 1) {
		// The script and this code apply the same rules; disagreeing means a bug, and refusing is the safe side.
		return Decision{}, fmt.Errorf("limit: admit %s in redis: script and client disagree (admitted=%d)", key, res[0])
	}
	return d, nil
}

// Record adds the tokens and cost of a finished request.
func (r *Redis) Record(ctx context.Context, key string, tokens int, costUSD float64, now time.Time) error {
	if err := validateRecord(key, tokens, costUSD); err != nil {
		return err
	}
	if tokens == 0 && nanoUSD(costUSD) == 0 {
		return nil
	}
	k := r.keys(key, now)
	// Period keys outlive their period by an hour, so that a late Record near midnight is still summed and the
	// key then goes away by itself. The TTLs are relative so that they do not depend on Redis's clock agreeing.
	dayTTL := int64(dayEnd(now).Sub(now)/time.Second) + 3600
	monthTTL := int64(monthEnd(now).Sub(now)/time.Second) + 3600
	err := recordScript.Run(ctx, r.c, []string{k[1], k[2], k[3]},
		now.Unix(), tokens, nanoUSD(costUSD), dayTTL, monthTTL).Err()
	if err != nil {
		return fmt.Errorf("limit: record %s in redis: %w", key, err)
	}
	return nil
}
