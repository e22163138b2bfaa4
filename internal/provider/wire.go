package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// StringList is a field that is a string or an array of strings on the wire (stop sequences).
type StringList []string

// UnmarshalJSON accepts a string, an array of strings or null.
func (l *StringList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*l = nil
		return nil
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*l = StringList{s}
		return nil
	default:
		var ss []string
		if err := json.Unmarshal(b, &ss); err != nil {
			return errors.New("must be a string or an array of strings")
		}
		*l = ss
		return nil
	}
}

// knownChatFields lists the JSON names ChatRequest models, so that UnmarshalJSON can keep the others in Extra.
var knownChatFields = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	t := reflect.TypeFor[ChatRequest]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			m[name] = true
		}
	}
	return m
})

// UnmarshalJSON decodes the modelled fields and keeps any others in Extra.
func (r *ChatRequest) UnmarshalJSON(b []byte) error {
	type plain ChatRequest
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	known := knownChatFields()
	for k, v := range all {
		if !known[k] {
			if p.Extra == nil {
				p.Extra = map[string]json.RawMessage{}
			}
			p.Extra[k] = v
		}
	}
	*r = ChatRequest(p)
	return nil
}

// MarshalJSON writes the modelled fields followed by Extra (which never overrides a modelled field).
func (r ChatRequest) MarshalJSON() ([]byte, error) {
	type plain ChatRequest
	b, err := json.Marshal(plain(r))
	if err != nil || len(r.Extra) == 0 {
		return b, err
	}
	known := knownChatFields()
	var buf bytes.Buffer
	buf.Write(b[:len(b)-1])
	for k, v := range r.Extra {
		if known[k] || !json.Valid(v) {
			continue
		}
		key, _ := json.Marshal(k)
		buf.WriteByte(',')
		buf.Write(key)
		buf.WriteByte(':')
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON decodes a part and keeps its raw form for types the gateway does not model.
func (p *Part) UnmarshalJSON(b []byte) error {
	type plain Part
	var q plain
	if err := json.Unmarshal(b, &q); err != nil {
		return err
	}
	*p = Part(q)
	if p.Type != "text" && p.Type != "image_url" {
		p.Raw = append(json.RawMessage(nil), b...)
	}
	return nil
}

// MarshalJSON writes the raw form back for unmodelled part types.
func (p Part) MarshalJSON() ([]byte, error) {
	if len(p.Raw) > 0 {
		return p.Raw, nil
	}
	type plain Part
	return json.Marshal(plain(p))
}

// UnmarshalJSON accepts a string, an array of strings, an array of token IDs or an array of token arrays.
func (in *EmbeddingInput) UnmarshalJSON(b []byte) error {
	*in = EmbeddingInput{}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return errors.New("input is required")
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		in.Texts, in.Single = []string{s}, true
		return nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return errors.New("input must be a string or an array")
	}
	if len(raw) == 0 {
		return errors.New("input must not be empty")
	}
	first := bytes.TrimSpace(raw[0])
	switch {
	case len(first) > 0 && first[0] == '"':
		if err := json.Unmarshal(b, &in.Texts); err != nil {
			return errors.New("input array must hold only strings")
		}
	case len(first) > 0 && first[0] == '[':
		if err := json.Unmarshal(b, &in.Tokens); err != nil {
			return errors.New("input array must hold only arrays of token IDs")
		}
	default:
		var toks []int
		if err := json.Unmarshal(b, &toks); err != nil {
			return errors.New("input array must hold only token IDs")
		}
		in.Tokens, in.Single = [][]int{toks}, true
	}
	return nil
}

// MarshalJSON writes the input back in the form it arrived in.
func (in EmbeddingInput) MarshalJSON() ([]byte, error) {
	switch {
	case len(in.Texts) > 0 && len(in.Tokens) > 0:
		return nil, fmt.Errorf("embedding input mixes texts and tokens")
	case in.Single && len(in.Texts) == 1:
		return json.Marshal(in.Texts[0])
	case in.Single && len(in.Tokens) == 1:
		return json.Marshal(in.Tokens[0])
	case len(in.Tokens) > 0:
		return json.Marshal(in.Tokens)
	default:
		return json.Marshal(in.Texts)
	}
}
