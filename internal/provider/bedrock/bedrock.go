// Package bedrock implements provider.Provider against the Amazon Bedrock Runtime API: chat through Converse and
// ConverseStream, embeddings through InvokeModel for the Titan and Cohere embedding models.
//
// Requests are plain HTTP rather than calls through the bedrockruntime SDK client: the gateway needs per-chunk
// control of streams, one tuned connection pool per target and its own retry loop, none of which the SDK client
// gives without being worked around. The SDK still provides what is hard to get right: the credential chain and
// its cache, the SigV4 signer and the event-stream frame decoder.
//
// New only reads configuration; credentials are fetched (and refreshed through aws.CredentialsCache) on the first
// request that needs them, so a target whose credentials are missing fails its requests with CodeAuth rather than
// failing at start-up. To talk to a fake or a mock upstream, set provider.Config.BaseURL to its URL and pass static
// credentials in Options.Credentials to NewWithOptions; requests are still signed for Config.Region.
package bedrock

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/walens/walens/internal/provider"
)

// signingService is the SigV4 service name of bedrock-runtime (the endpoint prefix differs from it).
const signingService = "bedrock"

// Options are settings that do not belong in provider.Config, mostly for tests.
type Options struct {
	// Credentials replaces the AWS SDK's default credential chain. It is wrapped in an aws.CredentialsCache unless
	// it already is one, so that expiring credentials are refreshed and rotation is picked up.
	Credentials aws.CredentialsProvider
	// Now replaces the clock used for signing and for the created field of responses.
	Now func() time.Time
}

// Provider talks to one Bedrock Runtime endpoint and region. It is safe for concurrent use.
type Provider struct {
	base     *url.URL
	region   string
	model    string
	headers  map[string]string
	maxBytes int64
	hc       *http.Client
	creds    aws.CredentialsProvider
	signer   *v4.Signer
	now      func() time.Time
}

var _ provider.Provider = (*Provider)(nil)

// regionPattern keeps the region usable as a DNS label of the default endpoint.
var regionPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// New returns a provider whose credentials come from the AWS SDK's default chain (environment, shared config and
// SSO, web identity, container and instance roles). cfg.Region selects the region; when it is empty the chain's
// region (AWS_REGION, the profile) is used. ctx bounds the loading of the shared configuration only.
func New(ctx context.Context, cfg provider.Config, hc *http.Client) (*Provider, error) {
	return NewWithOptions(ctx, cfg, hc, Options{})
}

// NewWithOptions is New with Options; tests use it to inject static credentials and a clock.
func NewWithOptions(ctx context.Context, cfg provider.Config, hc *http.Client, opts Options) (*Provider, error) {
	region := cfg.Region
	creds := opts.Credentials
	if creds == nil {
		var loadOpts []func(*config.LoadOptions) error
		if region != "" {
			loadOpts = append(loadOpts, config.WithRegion(region))
		}
		awsCfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
		if err != nil {
			return nil, fmt.Errorf("bedrock: load AWS configuration: %w", err)
		}
		region = awsCfg.Region
		creds = awsCfg.Credentials
		if creds == nil {
			return nil, errors.New("bedrock: the AWS default credential chain provided no credentials provider")
		}
	}
	if region == "" {
		return nil, errors.New("bedrock: region is required (set region on the target or AWS_REGION)")
	}
	if !regionPattern.MatchString(region) {
		return nil, fmt.Errorf("bedrock: region %q is not a valid AWS region name", region)
	}
	if _, cached := creds.(*aws.CredentialsCache); !cached {
		creds = aws.NewCredentialsCache(creds)
	}

	base := cfg.BaseURL
	if base == "" {
		base = defaultEndpoint(region)
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("bedrock: base_url: %w", err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("bedrock: base_url %q must be an http or https URL without query or fragment", base)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""

	if hc == nil {
		hc = http.DefaultClient
	}
	maxBytes := cfg.MaxResponseBytes
	if maxBytes <= 0 {
		maxBytes = provider.DefaultMaxResponseBytes
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	headers := make(map[string]string, len(cfg.Headers))
	for k, v := range cfg.Headers {
		headers[k] = v
	}
	return &Provider{
		base:     u,
		region:   region,
		model:    cfg.Model,
		headers:  headers,
		maxBytes: maxBytes,
		hc:       hc,
		creds:    creds,
		signer:   v4.NewSigner(),
		now:      now,
	}, nil
}

// defaultEndpoint is the public bedrock-runtime endpoint of a region; the China regions live under their own
// domain. FIPS and PrivateLink endpoints are configured through BaseURL.
func defaultEndpoint(region string) string {
	domain := "amazonaws.com"
	if strings.HasPrefix(region, "cn-") {
		domain = "amazonaws.com.cn"
	}
	return "https://bedrock-runtime." + region + "." + domain
}

// Region is the AWS region requests are signed for.
func (p *Provider) Region() string { return p.region }

// modelID picks the model of a request, falling back to the target's configured model.
func (p *Provider) modelID(m string) (string, error) {
	if m == "" {
		m = p.model
	}
	if m == "" {
		return "", badRequest("model is required")
	}
	return m, nil
}

// endpoint builds the URL of an operation on a model. Path and RawPath are both set so that the model ID (an ARN
// or an inference profile ID may hold ':' and '/') travels escaped, as the SDK sends it, and the signer's
// canonical path matches what the service computes.
func (p *Provider) endpoint(modelID, op string) *url.URL {
	u := *p.base
	u.Path = p.base.Path + "/model/" + modelID + "/" + op
	u.RawPath = p.base.EscapedPath() + "/model/" + escapeLabel(modelID) + "/" + op
	return &u
}

// escapeLabel percent-encodes everything but RFC 3986 unreserved characters, as Smithy does for a greedy-free
// URI label.
func escapeLabel(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// do signs and sends a POST with a JSON body and returns the response when its status is 2xx. Any other status is
// turned into a *provider.Error and the body is closed.
func (p *Provider) do(ctx context.Context, u *url.URL, body []byte, accept string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("bedrock: build request: %w", err)
	}
	// NewRequest re-parses the string form; keep the exact escaping chosen by endpoint.
	req.URL = u
	for k, v := range p.headers {
		req.Header.Set(k, v)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", accept)

	creds, err := p.creds.Retrieve(ctx)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, provider.TransportError(ctx, upstreamName, ctxErr)
		}
		return nil, &provider.Error{Code: provider.CodeAuth, Message: "could not obtain AWS credentials for Bedrock", Err: err}
	}
	sum := sha256.Sum256(body)
	if err := p.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), signingService, p.region, p.now()); err != nil {
		return nil, fmt.Errorf("bedrock: sign request: %w", err)
	}

	resp, err := p.hc.Do(req)
	if err != nil {
		return nil, provider.TransportError(ctx, upstreamName, err)
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		b, _ := provider.ReadBody(resp.Body, provider.MaxErrorBodyBytes)
		return nil, httpError(resp, b, p.now())
	}
	return resp, nil
}

// readBody reads a whole successful response within the size limit.
func (p *Provider) readBody(ctx context.Context, resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	b, err := provider.ReadBody(resp.Body, p.maxBytes)
	switch {
	case errors.Is(err, provider.ErrBodyTooLarge):
		return nil, malformed(resp.StatusCode, "the Bedrock response exceeded the size limit", err)
	case err != nil:
		return nil, provider.TransportError(ctx, upstreamName, err)
	}
	return b, nil
}

// send translates req into a Converse request and posts it to the model's operation (converse or
// converse-stream), accepting the given content type. It returns the response and the Bedrock model ID.
func (p *Provider) send(ctx context.Context, req *provider.ChatRequest, operation, accept string) (*http.Response, string, error) {
	modelID, err := p.modelID(req.Model)
	if err != nil {
		return nil, "", err
	}
	cr, err := toConverse(req)
	if err != nil {
		return nil, "", err
	}
	body, err := json.Marshal(cr)
	if err != nil {
		return nil, "", fmt.Errorf("bedrock: encode request: %w", err)
	}
	resp, err := p.do(ctx, p.endpoint(modelID, operation), body, accept)
	if err != nil {
		return nil, "", err
	}
	return resp, modelID, nil
}

// Chat calls Converse.
func (p *Provider) Chat(ctx context.Context, req *provider.ChatRequest) (*provider.ChatResponse, error) {
	resp, modelID, err := p.send(ctx, req, "converse", "application/json")
	if err != nil {
		return nil, err
	}
	requestID := resp.Header.Get("X-Amzn-Requestid")
	b, err := p.readBody(ctx, resp)
	if err != nil {
		return nil, err
	}
	var out converseResponse
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, malformed(resp.StatusCode, "the Bedrock response was not valid Converse JSON", err)
	}
	return fromConverse(&out, modelID, responseID(requestID), p.now().Unix())
}

// responseID derives the completion ID from Bedrock's request ID so that logs on both sides can be joined. A
// response without one (a proxy in between) gets a random ID, so that IDs stay unique.
func responseID(requestID string) string {
	if requestID == "" {
		return "chatcmpl-" + rand.Text()
	}
	return "chatcmpl-" + requestID
}
