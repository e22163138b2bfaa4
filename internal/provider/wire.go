package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"
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
	// The struct decode above checked that b is valid JSON and an object or null, so a cheap scan of the top
	// level finds the unmodelled fields. Decoding b a second time into map[string]json.RawMessage did the same job
	// but allocated a key and a value copy for every field, the large "messages" array included, and was a
	// notable share of the gateway's per-request CPU.
	known := knownChatFields()
	extra, ok := scanExtraFields(b, known)
	if !ok {
		// The scanner met something it does not expect. Take the slow, certainly correct path.
		var err error
		if extra, err = extraFieldsByMap(b, known); err != nil {
			return fmt.Errorf("collecting unmodelled chat request fields: %w", err)
		}
	}
	p.Extra = extra
	*r = ChatRequest(p)
	return nil
}

// extraFieldsByMap returns the top-level fields of b whose names are not in known, or nil if there are none. It is
// the straightforward way, kept as the fallback for scanExtraFields.
func extraFieldsByMap(b []byte, known map[string]bool) (map[string]json.RawMessage, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	var extra map[string]json.RawMessage
	for k, v := range all {
		if !known[k] {
			if extra == nil {
				extra = map[string]json.RawMessage{}
			}
			extra[k] = v
		}
	}
	return extra, nil
}

// scanExtraFields returns what extraFieldsByMap would for b, which must already be known to be valid JSON (the
// scanner checks nesting and quoting only as far as it needs to find where each value ends). It matches
// encoding/json's map decoding exactly:
//   - a value is its raw bytes without the whitespace around it, copied so that Extra does not alias b;
//   - a name is compared after unescaping, and exactly: encoding/json matches struct fields case-insensitively,
//     so {"Model":"x"} sets Model and also lands in Extra as "Model", as it did before;
//   - invalid UTF-8 in a name becomes U+FFFD, so two different raw names can collide;
//   - when a name repeats, the last value wins;
//   - null, and an object with no unmodelled fields, give a nil map.
//
// ok is false if the scanner met anything it does not expect; the caller must then use extraFieldsByMap.
func scanExtraFields(b []byte, known map[string]bool) (extra map[string]json.RawMessage, ok bool) {
	i := skipSpace(b, 0)
	if bytes.HasPrefix(b[i:], []byte("null")) {
		return nil, skipSpace(b, i+len("null")) == len(b)
	}
	if i >= len(b) || b[i] != '{' {
		return nil, false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return nil, skipSpace(b, i+1) == len(b)
	}
	for {
		// A member: "name" : value, with optional whitespace around every token.
		if i >= len(b) || b[i] != '"' {
			return nil, false
		}
		nameEnd, plainName, ok := stringEnd(b, i)
		if !ok {
			return nil, false
		}
		rawName := b[i:nameEnd]
		i = skipSpace(b, nameEnd)
		if i >= len(b) || b[i] != ':' {
			return nil, false
		}
		i = skipSpace(b, i+1)
		end, ok := valueEnd(b, i)
		if !ok {
			return nil, false
		}
		value := b[i:end]

		// Most names are plain ASCII and used as they are; indexing a map with string(bytes) does not allocate.
		// Names with escapes or non-ASCII bytes are rare and are unescaped by encoding/json itself, so that they
		// come out exactly as its map decoding would have them.
		var name string
		var keep bool
		if plainName {
			inner := rawName[1 : len(rawName)-1]
			if keep = !known[string(inner)]; keep {
				name = string(inner)
			}
		} else {
			if err := json.Unmarshal(rawName, &name); err != nil {
				return nil, false
			}
			keep = !known[name]
		}
		if keep {
			if extra == nil {
				extra = map[string]json.RawMessage{}
			}
			extra[name] = append(json.RawMessage(nil), value...)
		}

		i = skipSpace(b, end)
		if i >= len(b) {
			return nil, false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return extra, skipSpace(b, i+1) == len(b)
		default:
			return nil, false
		}
	}
}

// skipSpace returns the index of the first byte at or after i that is not JSON whitespace, or len(b).
func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// stringEnd returns the index just past the JSON string that starts with the quote at b[i]. plain reports that the
// string has no escapes and only ASCII bytes, so that its contents are its value as they stand.
func stringEnd(b []byte, i int) (end int, plain, ok bool) {
	plain = true
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			return j + 1, plain, true
		case c == '\\':
			// Skip the escaped byte, which may be a quote. The four hex digits of a \uXXXX escape need no care:
			// they are never a quote or a backslash.
			j++
			plain = false
		case c >= utf8.RuneSelf:
			plain = false
		}
	}
	return 0, false, false
}

// valueEnd returns the index just past the JSON value that starts at b[i]. Because b is already known to be
// valid, a literal ends at the first delimiter and a container at the bracket that balances its opening one.
func valueEnd(b []byte, i int) (end int, ok bool) {
	if i >= len(b) {
		return 0, false
	}
	switch b[i] {
	case '"':
		end, _, ok = stringEnd(b, i)
		return end, ok
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, true
				}
			case '"':
				// Brackets inside strings do not count. The string's end is the index after its closing quote;
				// the loop's j++ would skip that byte, so step back one.
				strEnd, _, ok := stringEnd(b, j)
				if !ok {
					return 0, false
				}
				j = strEnd - 1
			}
		}
		return 0, false
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 't', 'f', 'n':
		// A number, true, false or null: none contains whitespace, a comma or a closing bracket.
		j := i + 1
		for j < len(b) {
			switch b[j] {
			case ' ', '\t', '\n', '\r', ',', '}', ']':
				return j, true
			}
			j++
		}
		return j, true
	default:
		return 0, false
	}
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
