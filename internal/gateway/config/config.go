// Package config reads and checks the gateway's configuration file (format walens-gateway/v1): where to listen,
// the upstream providers, the model aliases clients call and how each routes to targets, reliability settings,
// virtual keys, shared limits, prices, audit and capture. Every problem is reported with the file, the line and the
// path of the field, all of them in one pass.
package config

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/yamldoc"
)

// Format is the only accepted value of the format field.
const Format = "walens-gateway/v1"

// Provider kinds.
const (
	KindOpenAI    = "openai"
	KindBedrock   = "bedrock"
	KindAnthropic = "anthropic"
)

var kinds = []string{KindOpenAI, KindBedrock, KindAnthropic}

// Provider transports.
const (
	TransportInline  = "inline"
	TransportNetHTTP = "net/http"
)

var transports = []string{TransportInline, TransportNetHTTP}

// Config is a whole gateway configuration file.
type Config struct {
	Format     string               `yaml:"format"`
	Listen     string               `yaml:"listen"`
	Server     Server               `yaml:"server"`
	Providers  map[string]*Provider `yaml:"providers"`
	Models     map[string]*Model    `yaml:"models"`
	Retries    Retries              `yaml:"retries"`
	Breaker    Breaker              `yaml:"breaker"`
	Health     Health               `yaml:"health"`
	Keys       []*Key               `yaml:"keys"`
	Redis      *Redis               `yaml:"redis"`
	Prices     map[string]Price     `yaml:"prices"`
	Audit      Audit                `yaml:"audit"`
	Capture    Capture              `yaml:"capture"`
	Guardrails []GuardrailFile      `yaml:"guardrails"`

	// Path is the file the configuration came from; relative paths in it resolve from its folder.
	Path string `yaml:"-"`
}

// Server bounds what one client can make the gateway hold.
type Server struct {
	MaxBodyBytes int64 `yaml:"max_body_bytes"` // default 4 MiB
	// MaxInFlight caps model requests (chat and embeddings) being served at once; more get 503 with Retry-After
	// instead of queueing until memory runs out. Default 1024; -1 turns the cap off.
	MaxInFlight       int      `yaml:"max_in_flight"`
	ReadHeaderTimeout Duration `yaml:"read_header_timeout"` // default 10s: slow clients cannot hold a connection
	ReadTimeout       Duration `yaml:"read_timeout"`        // whole request body; default 60s
	IdleTimeout       Duration `yaml:"idle_timeout"`        // keep-alive; default 120s
	RequestTimeout    Duration `yaml:"request_timeout"`     // per-request deadline incl. retries; default 300s
	ShutdownTimeout   Duration `yaml:"shutdown_timeout"`    // in-flight requests get this long on shutdown; default 30s
}

// Provider is one upstream endpoint and how to authenticate to it.
type Provider struct {
	Kind    string            `yaml:"kind"`
	BaseURL string            `yaml:"base_url"`
	APIKey  string            `yaml:"api_key"`
	Region  string            `yaml:"region"`
	Headers map[string]string `yaml:"headers"`
	// Timeout bounds one attempt: the whole response when not streaming, the first chunk when streaming.
	Timeout Duration `yaml:"timeout"`
	// HealthCheck turns on active health checks of this provider's targets. Off by default: on Bedrock and
	// Anthropic a check is a one-token completion, which costs money.
	HealthCheck bool `yaml:"health_check"`
	// MaxResponseBytes bounds upstream bodies and stream events; 0 means the provider's default.
	MaxResponseBytes int64 `yaml:"max_response_bytes"`
	// Transport picks the HTTP client for a plain-http base_url: "inline" (the default) or "net/http", Go's
	// standard transport, kept as a way back. https always uses net/http.
	Transport string `yaml:"transport"`
}

// Model is an alias clients call, and what the gateway does for it.
type Model struct {
	Targets    []Target    `yaml:"targets"`
	Guardrails *Guardrails `yaml:"guardrails"`
	// Capture overrides capture.percent for this alias.
	Capture  *RouteCapture `yaml:"capture"`
	Degraded *Degraded     `yaml:"degraded"`
	// Timeout is the per-request deadline for this alias; default server.request_timeout.
	Timeout Duration `yaml:"timeout"`
}

// Target is one upstream model behind an alias.
type Target struct {
	Provider string `yaml:"provider"`
	Model    string `yaml:"model"`
	// Tier groups equals: targets of the lowest tier are tried first, chosen by weight; the next tier is the
	// fallback. It defaults to the target's position (1, 2, ...), which makes a plain list an ordered fallback.
	Tier   int `yaml:"tier"`
	Weight int `yaml:"weight"` // default 1
	// Timeout overrides the provider's timeout for this target.
	Timeout Duration `yaml:"timeout"`
}

// Name identifies a target in metrics, logs and audit records.
func (t Target) Name() string { return t.Provider + "/" + t.Model }

// Guardrails name the policy applied to each direction: a policy file (relative to the config) or the
// guardrailId[@version] of a policy listed under guardrails.
type Guardrails struct {
	Input  string `yaml:"input"`
	Output string `yaml:"output"`
}

// RouteCapture overrides the capture sampling percentage for one alias.
type RouteCapture struct {
	Percent float64 `yaml:"percent"`
}

// Degraded is the answer when every target failed: a static message or another (cheaper) alias.
type Degraded struct {
	Message string `yaml:"message"`
	Model   string `yaml:"model"`
}

// Retries configure attempts on one target before falling back to the next.
type Retries struct {
	MaxAttempts   int      `yaml:"max_attempts"`    // per target, including the first; default 2
	BaseBackoff   Duration `yaml:"base_backoff"`    // default 100ms, doubling, with full jitter
	MaxBackoff    Duration `yaml:"max_backoff"`     // default 2s
	MaxRetryAfter Duration `yaml:"max_retry_after"` // a longer Retry-After falls back instead of waiting; default 5s
}

// Breaker configures the circuit breaker kept for each target.
type Breaker struct {
	Window         Duration `yaml:"window"`           // rolling window of outcomes; default 30s
	FailureRatio   float64  `yaml:"failure_ratio"`    // open when failures/requests reaches this; default 0.5
	MinRequests    int      `yaml:"min_requests"`     // and at least this many requests were seen; default 10
	OpenDuration   Duration `yaml:"open_duration"`    // before letting probes through; default 30s
	HalfOpenProbes int      `yaml:"half_open_probes"` // successes needed to close again; default 2
}

// Health configures active health checks (for providers with health_check: true).
type Health struct {
	Interval Duration `yaml:"interval"` // default 30s
	Timeout  Duration `yaml:"timeout"`  // default 5s
}

// Key is a virtual API key. Only the SHA-256 of the secret is stored.
type Key struct {
	ID     string   `yaml:"id"`
	Hash   string   `yaml:"hash"`   // "sha256:" followed by 64 hex digits
	Models []string `yaml:"models"` // aliases this key may call; empty or "*" means all
	RPM    int      `yaml:"rpm"`
	TPM    int      `yaml:"tpm"`
	// Budgets in USD per UTC day and month; 0 means unlimited.
	DailyBudgetUSD   float64 `yaml:"daily_budget_usd"`
	MonthlyBudgetUSD float64 `yaml:"monthly_budget_usd"`
	// Admin keys may read GET /v1/usage.
	Admin bool `yaml:"admin"`
}

// Allows reports whether the key may call alias.
func (k *Key) Allows(alias string) bool {
	return len(k.Models) == 0 || slices.Contains(k.Models, "*") || slices.Contains(k.Models, alias)
}

// Redis holds shared limit counters when several gateway replicas run.
type Redis struct {
	Addr     string `yaml:"addr"`
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	DB       int    `yaml:"db"`
	Prefix   string `yaml:"prefix"` // default "walens:gw:"
}

// Price overrides or adds a price, in USD per million tokens, for an upstream model ID.
type Price struct {
	InputPerMTok       float64 `yaml:"input_per_mtok"`
	OutputPerMTok      float64 `yaml:"output_per_mtok"`
	CachedInputPerMTok float64 `yaml:"cached_input_per_mtok"`
}

// Audit configures the request audit log.
type Audit struct {
	Dir          string `yaml:"dir"` // empty: no audit log
	MaxFileBytes int64  `yaml:"max_file_bytes"`
	MaxFiles     int    `yaml:"max_files"`
	Buffer       int    `yaml:"buffer"`
}

// Capture configures payload capture in the SageMaker data-capture format.
type Capture struct {
	Dir     string  `yaml:"dir"`
	Percent float64 `yaml:"percent"` // default for every alias; 0 captures nothing
}

// GuardrailFile lists a policy file to load (and serve under /guardrail/...).
type GuardrailFile struct {
	Policy string `yaml:"policy"`
}

// Duration reads "90s", "5m", "1h".
type Duration time.Duration

// UnmarshalText parses a Go duration.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 500ms, 30s or 5m", b)
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the duration back in Go's form.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// D returns the duration, or def when it is zero.
func (d Duration) D(def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return time.Duration(d)
}

// Load reads path, expands ${ENV} references with getenv (nil means os.LookupEnv), and checks the result.
func Load(path string, getenv func(string) (string, bool)) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read gateway config: %w", err)
	}
	return Parse(data, path, getenv)
}

// Parse is Load for content already read; name is used in problems and to resolve relative paths.
func Parse(data []byte, name string, getenv func(string) (string, bool)) (*Config, error) {
	if getenv == nil {
		getenv = os.LookupEnv
	}
	doc, err := yamldoc.Parse(data)
	if err != nil {
		if l, ok := err.(diag.List); ok {
			l.Locate(name, nil)
		}
		return nil, err
	}
	var col diag.Collector
	expand(&col, doc.Root.Content[0], "", getenv)
	if len(col.List) > 0 {
		col.List.Locate(name, doc.Pos)
		return nil, col.List
	}
	var c Config
	if err := doc.Decode(&c); err != nil {
		if l, ok := err.(diag.List); ok {
			l.Locate(name, doc.Pos)
		}
		return nil, err
	}
	c.Path = name
	c.validate(&col)
	if len(col.List) > 0 {
		col.List.Locate(name, doc.Pos)
		col.List.Sort()
		return nil, col.List
	}
	c.defaults()
	return &c, nil
}

// expand replaces ${NAME} in every scalar value (not in keys) with the variable's value; "$${" stands for a
// literal "${". A reference to an unset variable is an error naming it, so a missing secret is found at start-up
// rather than as an upstream 401.
func expand(col *diag.Collector, n *yaml.Node, path string, getenv func(string) (string, bool)) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			expand(col, n.Content[i+1], diag.Key(path, n.Content[i].Value), getenv)
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			expand(col, item, diag.Index(path, i), getenv)
		}
	case yaml.ScalarNode:
		if !strings.Contains(n.Value, "${") {
			return
		}
		v, err := ExpandString(n.Value, getenv)
		if err != nil {
			col.Errorf(path, "%v", err)
			return
		}
		n.Value = v
		if n.Style == 0 {
			n.Tag = "" // let a plain ${PORT} become a number again
		}
	}
}

// ExpandString expands ${NAME} references in s.
func ExpandString(s string, getenv func(string) (string, bool)) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		if i > 0 && s[i-1] == '$' {
			b.WriteString(s[:i-1])
			b.WriteString("${")
			s = s[i+2:]
			continue
		}
		b.WriteString(s[:i])
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return "", fmt.Errorf("unterminated ${ (write $${ for a literal ${)")
		}
		name := s[i+2 : i+end]
		if !validEnvName(name) {
			return "", fmt.Errorf("${%s} is not a valid environment variable name", name)
		}
		v, ok := getenv(name)
		if !ok {
			return "", fmt.Errorf("environment variable %s is not set", name)
		}
		b.WriteString(v)
		s = s[i+end+1:]
	}
}

func validEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// HashKey returns the stored form of a virtual key's secret.
func HashKey(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return "sha256:" + hex.EncodeToString(sum[:])
}

func (c *Config) validate(col *diag.Collector) {
	if c.Format != Format {
		p := col.Errorf("format", "must be %q", Format)
		if c.Format == "" {
			p.Message = fmt.Sprintf("is required: %q", Format)
		}
	}
	if c.Listen != "" {
		if _, _, err := net.SplitHostPort(c.Listen); err != nil {
			col.Errorf("listen", "must be host:port such as 127.0.0.1:8080 or :8080, not %q", c.Listen)
		}
	}
	s := c.Server
	if s.MaxBodyBytes < 0 {
		col.Errorf("server.max_body_bytes", "cannot be negative")
	}
	if s.MaxInFlight < -1 {
		col.Errorf("server.max_in_flight", "must be a positive number, or -1 for no cap")
	}
	for name, d := range map[string]Duration{"read_header_timeout": s.ReadHeaderTimeout, "read_timeout": s.ReadTimeout, "idle_timeout": s.IdleTimeout, "request_timeout": s.RequestTimeout, "shutdown_timeout": s.ShutdownTimeout} {
		if d < 0 {
			col.Errorf("server."+name, "cannot be negative")
		}
	}

	names := slices.Sorted(maps.Keys(c.Providers))
	for _, name := range names {
		p := c.Providers[name]
		path := diag.Key("providers", name)
		if p == nil {
			col.Errorf(path, "is empty: give at least kind")
			continue
		}
		if !slices.Contains(kinds, p.Kind) {
			col.Errorf(diag.Key(path, "kind"), "must be one of %s, not %q", strings.Join(kinds, ", "), p.Kind).Suggest(p.Kind, kinds)
		}
		if p.BaseURL != "" {
			if u, err := url.Parse(p.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				col.Errorf(diag.Key(path, "base_url"), "must be an http or https URL")
			}
		} else if p.Kind == KindOpenAI {
			col.Errorf(diag.Key(path, "base_url"), "is required for kind openai (for example https://api.openai.com/v1)")
		}
		if p.Kind == KindBedrock && p.Region == "" && p.BaseURL == "" {
			col.Errorf(diag.Key(path, "region"), "is required for kind bedrock")
		}
		if p.Timeout < 0 {
			col.Errorf(diag.Key(path, "timeout"), "cannot be negative")
		}
		if p.MaxResponseBytes < 0 {
			col.Errorf(diag.Key(path, "max_response_bytes"), "cannot be negative")
		}
		if p.Transport != "" && !slices.Contains(transports, p.Transport) {
			col.Errorf(diag.Key(path, "transport"), "must be one of %s, not %q", strings.Join(transports, ", "), p.Transport).Suggest(p.Transport, transports)
		}
	}

	for i, g := range c.Guardrails {
		if g.Policy == "" {
			col.Errorf(diag.Key(diag.Index("guardrails", i), "policy"), "is required: a guardrail policy file")
		}
	}

	aliases := slices.Sorted(maps.Keys(c.Models))
	if len(aliases) == 0 {
		col.Errorf("models", "the file defines no model alias")
	}
	for _, alias := range aliases {
		m := c.Models[alias]
		path := diag.Key("models", alias)
		if m == nil {
			col.Errorf(path, "is empty: give at least one target")
			continue
		}
		if len(m.Targets) == 0 {
			col.Errorf(diag.Key(path, "targets"), "needs at least one target")
		}
		seen := map[string]bool{}
		for i, t := range m.Targets {
			tp := diag.Index(diag.Key(path, "targets"), i)
			if _, ok := c.Providers[t.Provider]; !ok {
				if t.Provider == "" {
					col.Errorf(diag.Key(tp, "provider"), "is required")
				} else {
					col.Errorf(diag.Key(tp, "provider"), "unknown provider %q", t.Provider).Suggest(t.Provider, names)
				}
			}
			if t.Model == "" {
				col.Errorf(diag.Key(tp, "model"), "is required: the upstream model ID")
			}
			if seen[t.Name()] {
				col.Errorf(tp, "target %s is listed twice", t.Name())
			}
			seen[t.Name()] = true
			if t.Weight < 0 {
				col.Errorf(diag.Key(tp, "weight"), "cannot be negative")
			}
			if t.Tier < 0 {
				col.Errorf(diag.Key(tp, "tier"), "cannot be negative")
			}
			if t.Timeout < 0 {
				col.Errorf(diag.Key(tp, "timeout"), "cannot be negative")
			}
		}
		if d := m.Degraded; d != nil {
			dp := diag.Key(path, "degraded")
			switch {
			case (d.Message == "") == (d.Model == ""):
				col.Errorf(dp, "give exactly one of message and model")
			case d.Model == alias:
				col.Errorf(diag.Key(dp, "model"), "cannot be the alias itself")
			case d.Model != "":
				if _, ok := c.Models[d.Model]; !ok {
					col.Errorf(diag.Key(dp, "model"), "unknown model alias %q", d.Model).Suggest(d.Model, aliases)
				}
			}
		}
		if m.Capture != nil && (m.Capture.Percent < 0 || m.Capture.Percent > 100) {
			col.Errorf(diag.Key(path, "capture.percent"), "must be between 0 and 100")
		}
		if m.Timeout < 0 {
			col.Errorf(diag.Key(path, "timeout"), "cannot be negative")
		}
		if g := m.Guardrails; g != nil && g.Input == "" && g.Output == "" {
			col.Errorf(diag.Key(path, "guardrails"), "give input, output or both")
		}
	}
	c.validateDegradedCycles(col, aliases)

	r := c.Retries
	if r.MaxAttempts < 0 || r.MaxAttempts > 10 {
		col.Errorf("retries.max_attempts", "must be between 1 and 10")
	}
	if r.BaseBackoff < 0 || r.MaxBackoff < 0 || r.MaxRetryAfter < 0 {
		col.Errorf("retries", "backoffs cannot be negative")
	}
	b := c.Breaker
	if b.FailureRatio < 0 || b.FailureRatio > 1 {
		col.Errorf("breaker.failure_ratio", "must be between 0 and 1")
	}
	if b.MinRequests < 0 || b.HalfOpenProbes < 0 || b.Window < 0 || b.OpenDuration < 0 {
		col.Errorf("breaker", "values cannot be negative")
	}
	if c.Health.Interval < 0 || c.Health.Timeout < 0 {
		col.Errorf("health", "values cannot be negative")
	}

	ids, hashes := map[string]bool{}, map[string]bool{}
	for i, k := range c.Keys {
		kp := diag.Index("keys", i)
		if k == nil {
			col.Errorf(kp, "is empty")
			continue
		}
		if k.ID == "" {
			col.Errorf(diag.Key(kp, "id"), "is required")
		} else if ids[k.ID] {
			col.Errorf(diag.Key(kp, "id"), "key %q is defined twice", k.ID)
		}
		ids[k.ID] = true
		if !validHash(k.Hash) {
			col.Errorf(diag.Key(kp, "hash"), "must be sha256: followed by 64 hex digits (walens gateway keys create prints one)")
		} else if hashes[k.Hash] {
			col.Errorf(diag.Key(kp, "hash"), "the same secret is used by two keys")
		}
		hashes[k.Hash] = true
		for j, m := range k.Models {
			if _, ok := c.Models[m]; !ok && m != "*" {
				col.Errorf(diag.Index(diag.Key(kp, "models"), j), "unknown model alias %q", m).Suggest(m, aliases)
			}
		}
		if k.RPM < 0 || k.TPM < 0 || k.DailyBudgetUSD < 0 || k.MonthlyBudgetUSD < 0 {
			col.Errorf(kp, "limits cannot be negative")
		}
	}
	if len(c.Keys) == 0 {
		col.Errorf("keys", "the file defines no key: every request needs one (walens gateway keys create)")
	}
	if c.Redis != nil {
		if _, _, err := net.SplitHostPort(c.Redis.Addr); err != nil {
			col.Errorf("redis.addr", "must be host:port, not %q", c.Redis.Addr)
		}
	}
	for _, m := range slices.Sorted(maps.Keys(c.Prices)) {
		p := c.Prices[m]
		if p.InputPerMTok < 0 || p.OutputPerMTok < 0 || p.CachedInputPerMTok < 0 {
			col.Errorf(diag.Key("prices", m), "prices cannot be negative")
		}
	}
	if c.Audit.MaxFileBytes < 0 || c.Audit.MaxFiles < 0 || c.Audit.Buffer < 0 {
		col.Errorf("audit", "values cannot be negative")
	}
	if c.Capture.Percent < 0 || c.Capture.Percent > 100 {
		col.Errorf("capture.percent", "must be between 0 and 100")
	}
	if c.Capture.Percent > 0 && c.Capture.Dir == "" {
		col.Errorf("capture.dir", "is required when capture.percent is above 0")
	}
	for _, alias := range aliases {
		if m := c.Models[alias]; m != nil && m.Capture != nil && m.Capture.Percent > 0 && c.Capture.Dir == "" {
			col.Errorf(diag.Key(diag.Key("models", alias), "capture"), "capture.dir must be set to capture payloads")
		}
	}
}

// validateDegradedCycles rejects aliases whose degraded models lead back to themselves.
func (c *Config) validateDegradedCycles(col *diag.Collector, aliases []string) {
	for _, alias := range aliases {
		seen := map[string]bool{alias: true}
		cur := alias
		for {
			m := c.Models[cur]
			if m == nil || m.Degraded == nil || m.Degraded.Model == "" {
				break
			}
			cur = m.Degraded.Model
			if seen[cur] {
				col.Errorf(diag.Key(diag.Key("models", alias), "degraded.model"), "degraded models form a cycle through %q", cur)
				break
			}
			seen[cur] = true
		}
	}
}

func validHash(h string) bool {
	hexPart, ok := strings.CutPrefix(h, "sha256:")
	if !ok || len(hexPart) != 64 {
		return false
	}
	_, err := hex.DecodeString(hexPart)
	return err == nil
}

func (c *Config) defaults() {
	if c.Listen == "" {
		c.Listen = "127.0.0.1:8080"
	}
	s := &c.Server
	s.MaxBodyBytes = cmp.Or(s.MaxBodyBytes, 4<<20)
	s.MaxInFlight = cmp.Or(s.MaxInFlight, 1024)
	s.ReadHeaderTimeout = cmp.Or(s.ReadHeaderTimeout, Duration(10*time.Second))
	s.ReadTimeout = cmp.Or(s.ReadTimeout, Duration(60*time.Second))
	s.IdleTimeout = cmp.Or(s.IdleTimeout, Duration(120*time.Second))
	s.RequestTimeout = cmp.Or(s.RequestTimeout, Duration(300*time.Second))
	s.ShutdownTimeout = cmp.Or(s.ShutdownTimeout, Duration(30*time.Second))
	for _, p := range c.Providers {
		p.Timeout = cmp.Or(p.Timeout, Duration(120*time.Second))
	}
	for _, m := range c.Models {
		for i := range m.Targets {
			t := &m.Targets[i]
			t.Tier = cmp.Or(t.Tier, i+1)
			t.Weight = cmp.Or(t.Weight, 1)
		}
		m.Timeout = cmp.Or(m.Timeout, s.RequestTimeout)
	}
	r := &c.Retries
	r.MaxAttempts = cmp.Or(r.MaxAttempts, 2)
	r.BaseBackoff = cmp.Or(r.BaseBackoff, Duration(100*time.Millisecond))
	r.MaxBackoff = cmp.Or(r.MaxBackoff, Duration(2*time.Second))
	r.MaxRetryAfter = cmp.Or(r.MaxRetryAfter, Duration(5*time.Second))
	b := &c.Breaker
	b.Window = cmp.Or(b.Window, Duration(30*time.Second))
	b.FailureRatio = cmp.Or(b.FailureRatio, 0.5)
	b.MinRequests = cmp.Or(b.MinRequests, 10)
	b.OpenDuration = cmp.Or(b.OpenDuration, Duration(30*time.Second))
	b.HalfOpenProbes = cmp.Or(b.HalfOpenProbes, 2)
	c.Health.Interval = cmp.Or(c.Health.Interval, Duration(30*time.Second))
	c.Health.Timeout = cmp.Or(c.Health.Timeout, Duration(5*time.Second))
	if c.Redis != nil {
		c.Redis.Prefix = cmp.Or(c.Redis.Prefix, "walens:gw:")
	}
}

// Resolve returns p relative to the configuration file's folder ("-", standard output, stays as it is).
func (c *Config) Resolve(p string) string {
	if p == "" || p == "-" || filepath.IsAbs(p) || c.Path == "" {
		return p
	}
	return filepath.Join(filepath.Dir(c.Path), p)
}

// IsPolicyFile reports whether a guardrails reference names a file rather than a guardrailId[@version].
func IsPolicyFile(ref string) bool {
	ext := strings.ToLower(filepath.Ext(ref))
	return ext == ".yaml" || ext == ".yml" || ext == ".json" || strings.ContainsAny(ref, `/\`)
}

// SplitGuardrailRef splits "id@version" (version optional).
func SplitGuardrailRef(ref string) (id, version string) {
	id, version, _ = strings.Cut(ref, "@")
	return id, version
}

// Summary describes a loaded configuration without secrets, for walens gateway check.
type Summary struct {
	File      string         `json:"file"`
	Listen    string         `json:"listen"`
	Providers []ProviderSum  `json:"providers"`
	Models    []ModelSum     `json:"models"`
	Keys      []KeySum       `json:"keys"`
	Redis     string         `json:"redis,omitempty"`
	Audit     string         `json:"audit_dir,omitempty"`
	Capture   string         `json:"capture_dir,omitempty"`
	Prices    int            `json:"price_overrides"`
	Retries   map[string]any `json:"retries"`
	Breaker   map[string]any `json:"breaker"`
}

// ProviderSum is one provider in a Summary.
type ProviderSum struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	BaseURL     string `json:"base_url,omitempty"`
	Region      string `json:"region,omitempty"`
	HasAPIKey   bool   `json:"has_api_key"`
	HealthCheck bool   `json:"health_check"`
}

// ModelSum is one alias in a Summary.
type ModelSum struct {
	Alias           string   `json:"alias"`
	Targets         []string `json:"targets"` // provider/model (tier N, weight W)
	InputGuardrail  string   `json:"input_guardrail,omitempty"`
	OutputGuardrail string   `json:"output_guardrail,omitempty"`
	Degraded        string   `json:"degraded,omitempty"`
	CapturePercent  float64  `json:"capture_percent"`
}

// KeySum is one key in a Summary (never its hash).
type KeySum struct {
	ID     string   `json:"id"`
	Models []string `json:"models"`
	RPM    int      `json:"rpm,omitempty"`
	TPM    int      `json:"tpm,omitempty"`
	Daily  float64  `json:"daily_budget_usd,omitempty"`
	Month  float64  `json:"monthly_budget_usd,omitempty"`
}

// Summarize lists what the configuration sets up.
func (c *Config) Summarize() Summary {
	s := Summary{File: c.Path, Listen: c.Listen, Audit: c.Audit.Dir, Capture: c.Capture.Dir, Prices: len(c.Prices)}
	if c.Redis != nil {
		s.Redis = c.Redis.Addr
	}
	for _, name := range slices.Sorted(maps.Keys(c.Providers)) {
		p := c.Providers[name]
		s.Providers = append(s.Providers, ProviderSum{Name: name, Kind: p.Kind, BaseURL: p.BaseURL, Region: p.Region, HasAPIKey: p.APIKey != "", HealthCheck: p.HealthCheck})
	}
	for _, alias := range slices.Sorted(maps.Keys(c.Models)) {
		m := c.Models[alias]
		ms := ModelSum{Alias: alias, CapturePercent: c.CapturePercent(alias)}
		for _, t := range m.Targets {
			ms.Targets = append(ms.Targets, t.Name()+" (tier "+strconv.Itoa(t.Tier)+", weight "+strconv.Itoa(t.Weight)+")")
		}
		if g := m.Guardrails; g != nil {
			ms.InputGuardrail, ms.OutputGuardrail = g.Input, g.Output
		}
		if d := m.Degraded; d != nil {
			if d.Model != "" {
				ms.Degraded = "model " + d.Model
			} else {
				ms.Degraded = "static message"
			}
		}
		s.Models = append(s.Models, ms)
	}
	for _, k := range c.Keys {
		models := k.Models
		if len(models) == 0 {
			models = []string{"*"}
		}
		s.Keys = append(s.Keys, KeySum{ID: k.ID, Models: models, RPM: k.RPM, TPM: k.TPM, Daily: k.DailyBudgetUSD, Month: k.MonthlyBudgetUSD})
	}
	r, b := c.Retries, c.Breaker
	s.Retries = map[string]any{"max_attempts": r.MaxAttempts, "base_backoff": r.BaseBackoff, "max_backoff": r.MaxBackoff, "max_retry_after": r.MaxRetryAfter}
	s.Breaker = map[string]any{"window": b.Window, "failure_ratio": b.FailureRatio, "min_requests": b.MinRequests, "open_duration": b.OpenDuration, "half_open_probes": b.HalfOpenProbes}
	return s
}

// CapturePercent is the capture sampling percentage for alias.
func (c *Config) CapturePercent(alias string) float64 {
	if m := c.Models[alias]; m != nil && m.Capture != nil {
		return m.Capture.Percent
	}
	return c.Capture.Percent
}
