package bedrock

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/walens/walens/internal/provider"
)

// Static test credentials. The secret is made up; the fake knows it too and recomputes every signature.
const (
	testRegion = "us-east-1"
	testAKID   = "AKIDEXAMPLETEST00001"
	testSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	testModel  = "anthropic.claude-3-haiku-20240307-v1:0"
)

var testTime = time.Date(2026, 12, 1, 1, 2, 3, 0, time.UTC)

// fakeBedrock is an httptest server that speaks bedrock-runtime: it verifies the SigV4 signature of every request
// with the SDK's signer, then hands the request to the test's handler.
type fakeBedrock struct {
	t       testing.TB
	srv     *httptest.Server
	secrets map[string]string // access key ID → secret key

	mu       sync.Mutex
	requests []fakeRequest

	handle func(w http.ResponseWriter, r *http.Request, body []byte)
}

type fakeRequest struct {
	EscapedPath string
	Op          string
	AccessKey   string
	Body        []byte
	Header      http.Header
}

func newFake(t testing.TB, handle func(w http.ResponseWriter, r *http.Request, body []byte)) *fakeBedrock {
	t.Helper()
	f := &fakeBedrock{t: t, secrets: map[string]string{testAKID: testSecret}, handle: handle}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeBedrock) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	akid, err := f.verify(r, body)
	if err != nil {
		f.t.Logf("fake bedrock: signature rejected: %v", err)
		w.Header().Set("X-Amzn-Errortype", "InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, `{"message":"The request signature we calculated does not match the signature you provided."}`)
		return
	}
	path := r.URL.EscapedPath()
	op := path[strings.LastIndexByte(path, '/')+1:]
	f.mu.Lock()
	f.requests = append(f.requests, fakeRequest{EscapedPath: path, Op: op, AccessKey: akid, Body: body, Header: r.Header.Clone()})
	f.mu.Unlock()
	if r.Method != http.MethodPost || !strings.HasPrefix(path, "/model/") {
		w.Header().Set("X-Amzn-Errortype", "UnknownOperationException")
		w.WriteHeader(http.StatusNotFound)
		return
	}
	w.Header().Set("X-Amzn-Requestid", "req-0001")
	f.handle(w, r, body)
}

func (f *fakeBedrock) recorded() []fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeRequest(nil), f.requests...)
}

// verify recomputes the request's SigV4 signature from the headers it says it signed, the received body and the
// secret of its access key, and compares it with the one sent.
func (f *fakeBedrock) verify(r *http.Request, body []byte) (string, error) {
	auth := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, "AWS4-HMAC-SHA256 ")
	if !ok {
		return "", fmt.Errorf("authorization %q is not SigV4", auth)
	}
	fields := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		fields[k] = v
	}
	scope := strings.Split(fields["Credential"], "/")
	if len(scope) != 5 || scope[4] != "aws4_request" {
		return "", fmt.Errorf("bad credential scope %q", fields["Credential"])
	}
	akid, region, service := scope[0], scope[2], scope[3]
	secret, ok := f.secrets[akid]
	if !ok {
		return "", fmt.Errorf("unknown access key %q", akid)
	}
	if region != testRegion || service != "bedrock" {
		return "", fmt.Errorf("signed for %s/%s, want %s/bedrock", region, service, testRegion)
	}
	signedAt, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return "", fmt.Errorf("x-amz-date: %w", err)
	}
	if scope[1] != signedAt.Format("20060102") {
		return "", fmt.Errorf("scope date %s does not match x-amz-date", scope[1])
	}

	u := *r.URL
	u.Scheme, u.Host = "http", r.Host
	check := &http.Request{Method: r.Method, URL: &u, Host: r.Host, Header: http.Header{}}
	for _, name := range strings.Split(fields["SignedHeaders"], ";") {
		switch name {
		case "host":
		case "content-length":
			check.ContentLength = int64(len(body))
		default:
			vals := r.Header.Values(name)
			if len(vals) == 0 {
				return "", fmt.Errorf("signed header %q missing", name)
			}
			check.Header[textproto.CanonicalMIMEHeaderKey(name)] = vals
		}
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret, SessionToken: r.Header.Get("X-Amz-Security-Token")}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, check, hex.EncodeToString(sum[:]), "bedrock", region, signedAt); err != nil {
		return "", err
	}
	if got := check.Header.Get("Authorization"); got != auth {
		return "", fmt.Errorf("signature mismatch:\n got  %s\n want %s", auth, got)
	}
	return akid, nil
}

// newTestProvider returns a provider pointed at the fake with static credentials and a fixed clock.
func newTestProvider(t testing.TB, f *fakeBedrock, edit func(*provider.Config, *Options)) *Provider {
	t.Helper()
	cfg := provider.Config{Kind: "bedrock", BaseURL: f.srv.URL, Region: testRegion, Model: testModel}
	opts := Options{
		Credentials: credentials.NewStaticCredentialsProvider(testAKID, testSecret, ""),
		Now:         func() time.Time { return testTime },
	}
	if edit != nil {
		edit(&cfg, &opts)
	}
	p, err := NewWithOptions(context.Background(), cfg, f.srv.Client(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Frames, encoded with the SDK's event-stream encoder.

func encodeFrame(t testing.TB, headers map[string]string, payload []byte) []byte {
	t.Helper()
	names := make([]string, 0, len(headers))
	for k := range headers {
		names = append(names, k)
	}
	sort.Strings(names)
	var hs eventstream.Headers
	for _, k := range names {
		hs.Set(k, eventstream.StringValue(headers[k]))
	}
	var buf bytes.Buffer
	if err := eventstream.NewEncoder().Encode(&buf, eventstream.Message{Headers: hs, Payload: payload}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func eventFrame(t testing.TB, typ, payload string) []byte {
	return encodeFrame(t, map[string]string{":message-type": "event", ":event-type": typ, ":content-type": "application/json"}, []byte(payload))
}

func exceptionFrame(t testing.TB, typ, msg string) []byte {
	p, _ := json.Marshal(map[string]string{"message": msg})
	return encodeFrame(t, map[string]string{":message-type": "exception", ":exception-type": typ, ":content-type": "application/json"}, p)
}

// streamEvent is one entry of a testdata events.json file.
type streamEvent struct {
	Event     string          `json:"event,omitempty"`
	Exception string          `json:"exception,omitempty"`
	Payload   json.RawMessage `json:"payload"`
}

func framesOf(t testing.TB, events []streamEvent) [][]byte {
	var out [][]byte
	for _, e := range events {
		if e.Exception != "" {
			out = append(out, encodeFrame(t, map[string]string{":message-type": "exception", ":exception-type": e.Exception, ":content-type": "application/json"}, e.Payload))
			continue
		}
		out = append(out, eventFrame(t, e.Event, string(e.Payload)))
	}
	return out
}

// writeFrames answers a ConverseStream request with the given frames, flushing after each.
func writeFrames(w http.ResponseWriter, frames [][]byte) {
	w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
	w.WriteHeader(http.StatusOK)
	fl := w.(http.Flusher)
	for _, fr := range frames {
		_, _ = w.Write(fr)
		fl.Flush()
	}
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// drain reads a stream to its end and returns the chunks and the final error (nil for a clean io.EOF).
func drain(t testing.TB, s provider.Stream) ([]*provider.Chunk, error) {
	t.Helper()
	defer s.Close()
	var chunks []*provider.Chunk
	for range 10000 {
		c, err := s.Recv()
		if err == io.EOF {
			return chunks, nil
		}
		if errors.Is(err, io.EOF) {
			t.Errorf("stream failure %v wraps io.EOF: callers would take it for the normal end", err)
		}
		if err != nil {
			return chunks, err
		}
		chunks = append(chunks, c)
	}
	t.Fatal("stream did not end")
	return nil, nil
}

func asProviderError(t testing.TB, err error) *provider.Error {
	t.Helper()
	var pe *provider.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *provider.Error", err, err)
	}
	return pe
}
