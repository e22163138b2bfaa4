package classify

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
)

// Category is a content-filter type of Bedrock Guardrails that a classifier scores.
type Category string

// The categories, with Bedrock's names.
const (
	Hate         Category = "HATE"
	Insults      Category = "INSULTS"
	Sexual       Category = "SEXUAL"
	Violence     Category = "VIOLENCE"
	Misconduct   Category = "MISCONDUCT"
	PromptAttack Category = "PROMPT_ATTACK"
)

// Categories lists every category in Bedrock's order.
var Categories = []Category{Hate, Insults, Sexual, Violence, Misconduct, PromptAttack}

// Confidence is how sure a classifier is that text belongs to a category, in Bedrock's terms.
type Confidence int

const (
	None Confidence = iota
	Low
	Medium
	High
)

func (c Confidence) String() string { return [...]string{"NONE", "LOW", "MEDIUM", "HIGH"}[c] }

// Model is a set of per-category linear classifiers over hashed features, with int8 weights.
type Model struct {
	Bits       int // the number of buckets is 1 << Bits
	Categories []Category
	Bias       []float32
	Scale      []float32 // a weight is W[...] * Scale[c]
	// Thresholds are the probabilities at which confidence becomes LOW, MEDIUM and HIGH, per category, chosen on
	// validation data (see Calibrate).
	Thresholds [][3]float32
	W          []int8 // bucket-major: W[bucket*len(Categories)+c]
}

// Window and stride of the text a score is taken over. Long texts are scored window by window and the highest
// score counts, so an attack buried in a long document is not diluted by the rest of it.
const (
	Window = 1024
	Stride = 512
)

// Scores returns, for each category of the model, the probability that the folded text belongs to it (the
// highest over its windows).
func (m *Model) Scores(folded string) []float64 {
	out := make([]float64, len(m.Categories))
	for i := range out {
		out[i] = -math.MaxFloat64
	}
	var f Features
	raw := make([]float64, len(m.Categories))
	for _, w := range windows(folded) {
		f.Extract(w)
		m.raw(&f, raw)
		for i, z := range raw {
			out[i] = math.Max(out[i], z)
		}
	}
	for i, z := range out {
		out[i] = sigmoid(z)
	}
	return out
}

// raw computes each category's score before the sigmoid.
func (m *Model) raw(f *Features, out []float64) {
	nc := len(m.Categories)
	mask := uint32(1)<<m.Bits - 1
	var accBuf [maxCategories]int32
	acc := accBuf[:nc]
	for _, h := range f.Hashes {
		base := int(h&mask) * nc
		ws := m.W[base : base+nc]
		if h&(1<<31) != 0 {
			for c, w := range ws {
				acc[c] -= int32(w)
			}
		} else {
			for c, w := range ws {
				acc[c] += int32(w)
			}
		}
	}
	norm := f.Norm()
	for c := range out {
		out[c] = float64(m.Bias[c]) + norm*float64(acc[c])*float64(m.Scale[c])
	}
}

// Confidence maps a category's probability to Bedrock's confidence levels with the model's thresholds.
func (m *Model) Confidence(c int, p float64) Confidence {
	t := m.Thresholds[c]
	switch {
	case p >= float64(t[2]):
		return High
	case p >= float64(t[1]):
		return Medium
	case p >= float64(t[0]):
		return Low
	}
	return None
}

// Index returns the position of a category in the model, or -1.
func (m *Model) Index(c Category) int {
	for i, x := range m.Categories {
		if x == c {
			return i
		}
	}
	return -1
}

// windows cuts a text into overlapping windows at spaces.
func windows(s string) []string {
	if len(s) <= Window {
		return []string{s}
	}
	var out []string
	for start := 0; start < len(s); {
		end := min(start+Window, len(s))
		if end < len(s) {
			if k := strings.LastIndexByte(s[start+Window/2:end], ' '); k >= 0 {
				end = start + Window/2 + k
			}
		}
		out = append(out, s[start:end])
		if end == len(s) {
			break
		}
		next := start + Stride
		if k := strings.IndexByte(s[next:end], ' '); k >= 0 {
			next += k + 1
		}
		start = next
	}
	return out
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

const magic = "WLGCLS1\n"

// maxCategories bounds the categories of a model, so scoring can keep its sums on the stack.
const maxCategories = 16

// MarshalBinary encodes the model: a magic line, the bucket bits and category count, per category its name,
// bias, scale and thresholds, then the weights. Numbers are little-endian.
func (m *Model) MarshalBinary() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(magic)
	b.WriteByte(byte(m.Bits))
	b.WriteByte(byte(len(m.Categories)))
	for i, c := range m.Categories {
		b.WriteByte(byte(len(c)))
		b.WriteString(string(c))
		for _, v := range []float32{m.Bias[i], m.Scale[i], m.Thresholds[i][0], m.Thresholds[i][1], m.Thresholds[i][2]} {
			_ = binary.Write(&b, binary.LittleEndian, v)
		}
	}
	for _, w := range m.W {
		b.WriteByte(byte(w))
	}
	return b.Bytes(), nil
}

// UnmarshalBinary decodes a model written by MarshalBinary, checking every length.
func (m *Model) UnmarshalBinary(data []byte) error {
	r := bytes.NewReader(data)
	head := make([]byte, len(magic)+2)
	if _, err := io.ReadFull(r, head); err != nil || string(head[:len(magic)]) != magic {
		return errors.New("not a walens classifier model")
	}
	bits, nc := int(head[len(magic)]), int(head[len(magic)+1])
	if bits < 8 || bits > 24 || nc == 0 || nc > maxCategories {
		return fmt.Errorf("model has %d bucket bits and %d categories", bits, nc)
	}
	m.Bits = bits
	m.Categories, m.Bias, m.Scale, m.Thresholds = nil, nil, nil, nil
	for range nc {
		n, err := r.ReadByte()
		if err != nil {
			return errors.New("model is truncated")
		}
		name := make([]byte, n)
		if _, err := io.ReadFull(r, name); err != nil {
			return errors.New("model is truncated")
		}
		var v [5]float32
		if err := binary.Read(r, binary.LittleEndian, &v); err != nil {
			return errors.New("model is truncated")
		}
		m.Categories = append(m.Categories, Category(name))
		m.Bias = append(m.Bias, v[0])
		m.Scale = append(m.Scale, v[1])
		m.Thresholds = append(m.Thresholds, [3]float32{v[2], v[3], v[4]})
	}
	want := (1 << bits) * nc
	if r.Len() != want {
		return fmt.Errorf("model has %d weight bytes, want %d", r.Len(), want)
	}
	m.W = make([]int8, want)
	for i := range m.W {
		c, _ := r.ReadByte()
		m.W[i] = int8(c)
	}
	return nil
}

//go:embed model.bin
var embedded []byte

// Default returns the model trained by bench/guard/train and embedded in the binary. It is decoded once and
// shared: models are read-only.
var Default = sync.OnceValues(func() (*Model, error) {
	m := &Model{}
	if err := m.UnmarshalBinary(embedded); err != nil {
		return nil, fmt.Errorf("embedded classifier: %w", err)
	}
	return m, nil
})
