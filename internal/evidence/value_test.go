package evidence

import (
	"encoding/json"
	"testing"
)

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{
		"DataCaptureConfig":                     "data_capture_config",
		"KmsKeyId":                              "kms_key_id",
		"KMSKeyId":                              "kms_key_id",
		"DestinationS3Uri":                      "destination_s3_uri",
		"IdleSessionTTLInSeconds":               "idle_session_ttl_in_seconds",
		"MinimumInstanceMetadataServiceVersion": "minimum_instance_metadata_service_version",
		"VpcConfig":                             "vpc_config",
		"already_snake":                         "already_snake",
		"Type":                                  "type",
		"":                                      "",
	} {
		if got := Snake(in); got != want {
			t.Errorf("Snake(%q) = %q, want %q", in, got, want)
		}
	}
}

func mustJSON(t *testing.T, src string) *Value {
	t.Helper()
	v, p := DecodeJSON("t.json", []byte(src))
	if p != nil {
		t.Fatalf("decode %s: %v", src, p)
	}
	return v
}

func TestGetLooksThroughSingleItemLists(t *testing.T) {
	// Terraform writes a single block as a list of one object; CloudFormation as an object. Get reads both.
	tf := mustJSON(t, `{"data_capture_config":[{"enable_capture":true}]}`)
	cfn := mustJSON(t, `{"data_capture_config":{"enable_capture":true}}`)
	for name, v := range map[string]*Value{"terraform": tf, "cloudformation": cfn} {
		b, ok := v.Get("data_capture_config", "enable_capture").Bool()
		if !ok || !b {
			t.Errorf("%s: enable_capture = %v, %v", name, b, ok)
		}
	}
	two := mustJSON(t, `{"v":[{"n":1},{"n":2}]}`)
	if got := two.Get("v", "n"); got != nil {
		t.Errorf("Get through a two-item list = %v, want nil: which item is meant is ambiguous", got.Interface())
	}
	if n := len(two.Get("v").Items()); n != 2 {
		t.Errorf("Items = %d, want 2", n)
	}
	if n := len(cfn.Get("data_capture_config").Items()); n != 1 {
		t.Errorf("Items of an object = %d, want 1", n)
	}
}

func TestUnknownPropagates(t *testing.T) {
	obj := NewObject(Pos{File: "a.tf", Line: 1})
	obj.Set("block", NewUnknown(Pos{File: "a.tf", Line: 2}, "dynamic block over var.x"))
	got := obj.Get("block", "inner", "deeper")
	if !got.IsUnknown() || got.Why != "dynamic block over var.x" {
		t.Fatalf("Get under an unknown = %#v, want the unknown with its reason", got)
	}
	var absent *Value
	if absent.Get("x") != nil || !absent.IsNull() || absent.IsSet() || absent.Str() != "" {
		t.Error("a nil value must read as null")
	}
}

func TestScalarReadings(t *testing.T) {
	cases := []struct {
		src    string
		str    string
		set    bool
		b, bOK bool
		n      float64
		nOK    bool
	}{
		{`"true"`, "true", true, true, true, 0, false},
		{`false`, "false", true, false, true, 0, false},
		{`"2"`, "2", true, false, false, 2, true},
		{`2.5`, "2.5", true, false, false, 2.5, true},
		{`"  "`, "  ", false, false, false, 0, false},
		{`null`, "", false, false, false, 0, false},
		{`["x"]`, "x", true, false, false, 0, false},
	}
	for _, c := range cases {
		v := mustJSON(t, c.src)
		if got := v.Str(); got != c.str {
			t.Errorf("%s: Str = %q, want %q", c.src, got, c.str)
		}
		if got := v.IsSet(); got != c.set {
			t.Errorf("%s: IsSet = %v, want %v", c.src, got, c.set)
		}
		if b, ok := v.Bool(); b != c.b || ok != c.bOK {
			t.Errorf("%s: Bool = %v, %v", c.src, b, ok)
		}
		if n, ok := v.Num(); n != c.n || ok != c.nOK {
			t.Errorf("%s: Num = %v, %v", c.src, n, ok)
		}
	}
}

func TestSnakeKeysAndJSON(t *testing.T) {
	v := mustJSON(t, `{"Steps":[{"Name":"Train","Arguments":{"EnableManagedSpotTraining":true,"CheckpointConfig":{"S3Uri":"s3://b/c"}}}]}`)
	at := Pos{File: "main.tf", Line: 40, Col: 3}
	s := SnakeKeys(v, at)
	if got := s.Get("steps", "arguments", "checkpoint_config", "s3_uri"); got.Str() != "s3://b/c" || got.Pos != at {
		t.Fatalf("SnakeKeys: got %#v", got)
	}
	if v.Get("Steps", "Name").Str() != "Train" {
		t.Error("SnakeKeys must not change its input")
	}
	u := NewUnknown(at, "known after apply")
	u.Refs = []Ref{{Address: "aws_kms_key.k", Attr: "arn"}}
	data, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != `{"$refs":["aws_kms_key.k.arn"],"$unknown":"known after apply"}` {
		t.Errorf("unknown JSON = %s", data)
	}
}
