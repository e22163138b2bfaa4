package audit

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/walens/walens/internal/monitor/sagemaker"
)

// sameAsMarshal checks that appendRecord decodes to the same value as json.Marshal's output.
func sameAsMarshal(t *testing.T, r Record) {
	t.Helper()
	got, ok := appendRecord(nil, &r)
	if !ok {
		r.Guardrails = nil
	}
	if !strings.HasSuffix(string(got), "}\n") || strings.Count(string(got), "\n") != 1 {
		t.Fatalf("not one line: %q", got)
	}
	r.Time = r.Time.UTC()
	for _, f := range []*float64{&r.LatencyMS, &r.TTFTMS, &r.CostUSD} {
		if math.IsNaN(*f) || math.IsInf(*f, 0) {
			*f = 0
		}
	}
	want, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	var g, w map[string]any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("appendRecord wrote invalid JSON %q: %v", got, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("appendRecord\n got %s\nwant %s", got, want)
	}
}

func TestAppendRecord(t *testing.T) {
	at := time.Date(2026, 2, 3, 10, 15, 0, 123456789, time.FixedZone("x", -5*3600))
	records := []Record{
		{},
		record(1, at),
		{Time: at, RequestID: "quote\" back\\ nl\n tab\t cr\r nul\x00 bell\x07 <html>&", Model: "ünïcødé 模型 \u2028\u2029",
			KeyID: "bad utf8 \xff\xfe end", Status: 429, ErrorCode: "rate_limited", TTFTMS: 0.25, LatencyMS: 1e-7, CostUSD: 1e21,
			Fallback: []string{"a", "", "c"}, Stream: true, Guardrails: json.RawMessage("{\n  \"action\": \"block\",\n  \"n\": [1, 2]\n}")},
		{RequestID: "bad guardrails", Guardrails: json.RawMessage(`{"x":`)},
		{RequestID: "non-finite", LatencyMS: math.NaN(), CostUSD: math.Inf(1), TTFTMS: math.Inf(-1)},
		{RequestID: "small", LatencyMS: -0.000001234, CostUSD: 123456789.125},
	}
	for _, r := range records {
		sameAsMarshal(t, r)
	}
}

// FuzzAppendRecord compares the hand-written encoder with encoding/json on client-influenced strings and numbers.
func FuzzAppendRecord(f *testing.F) {
	f.Add("req-1", "gpt-4o", 12.5, []byte(`{"a":1}`))
	f.Add("\x00\xff\u2028\"\\", "", 1e-9, []byte(`[`))
	f.Add("", "m", math.MaxFloat64, []byte(nil))
	f.Fuzz(func(t *testing.T, id, model string, latency float64, guard []byte) {
		sameAsMarshal(t, Record{RequestID: id, Model: model, Fallback: []string{model, id}, LatencyMS: latency, CostUSD: -latency, Guardrails: guard})
	})
}

func BenchmarkAppendRecord(b *testing.B) {
	r := record(1, time.Now())
	buf := make([]byte, 0, 512)
	for b.Loop() {
		buf, _ = appendRecord(buf[:0], &r)
	}
}

// captureRecord builds the capture record with the sagemaker package's types, the reference appendCapture must match.
func captureRecord(c CaptureEvent) sagemaker.CaptureRecord {
	rec := sagemaker.CaptureRecord{
		CaptureData: sagemaker.CaptureData{
			EndpointInput: payload(c.Input, "INPUT", c.InputEncoding, c.InputContentType),
		},
		EventMetadata: sagemaker.EventMetadata{
			EventID:       c.EventID,
			InferenceID:   c.InferenceID,
			InferenceTime: c.InferenceTime.UTC().Format(time.RFC3339Nano),
		},
		EventVersion: "0",
	}
	if len(c.Output) > 0 {
		rec.CaptureData.EndpointOutput = payload(c.Output, "OUTPUT", c.OutputEncoding, c.OutputContentType)
	}
	return rec
}

func payload(body []byte, mode, encoding, contentType string) *sagemaker.CapturePayload {
	if contentType == "" {
		contentType = "application/json"
	}
	if encoding == "" {
		encoding = sagemaker.EncodingBase64
		if json.Valid(body) {
			encoding = sagemaker.EncodingJSON
		}
	}
	p := &sagemaker.CapturePayload{ObservedContentType: contentType, Mode: mode, Encoding: encoding, Data: string(body)}
	if encoding == sagemaker.EncodingBase64 {
		p.Data = base64.StdEncoding.EncodeToString(body)
	}
	return p
}

func sameCapture(t *testing.T, c CaptureEvent) {
	t.Helper()
	got := appendCapture(nil, &c)
	want, err := json.Marshal(captureRecord(c))
	if err != nil {
		t.Fatal(err)
	}
	var g, w map[string]any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("appendCapture wrote invalid JSON %q: %v", got, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) || strings.Count(string(got), "\n") != 1 {
		t.Fatalf("appendCapture\n got %s\nwant %s", got, want)
	}
}

func TestAppendCapture(t *testing.T) {
	at := time.Date(2026, 2, 3, 10, 15, 0, 5, time.UTC)
	for _, c := range []CaptureEvent{
		{EventID: "e1", InferenceTime: at, Input: []byte(`{"model":"m","messages":[{"role":"user","content":"<b>\u2028</b>\n"}]}`), Output: []byte(`{"ok":true}`)},
		{EventID: "e2", InferenceID: "i2", InferenceTime: at, Input: []byte("not json \xff"), OutputEncoding: "CSV", Output: []byte("1,2\n3,4"), OutputContentType: "text/csv"},
		{EventID: "e3", InferenceTime: at, Input: nil},
	} {
		sameCapture(t, c)
	}
}

func FuzzAppendCapture(f *testing.F) {
	f.Add("e", []byte(`{"a":"b"}`), []byte("x\x00"))
	f.Fuzz(func(t *testing.T, id string, in, out []byte) {
		sameCapture(t, CaptureEvent{EventID: id, InferenceID: id, InferenceTime: time.Unix(0, 0), Input: in, Output: out})
	})
}
