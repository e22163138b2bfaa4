package lens

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/yamldoc"
)

// MaxFileBytes bounds how much of a lens file walens reads. The largest real lenses are a few hundred kilobytes.
const MaxFileBytes = 8 << 20

// Kind names a lens file format.
type Kind string

const (
	KindWalens Kind = "walens"      // walens YAML (or JSON) with format: walens-lens/v1
	KindAWS    Kind = "custom-lens" // AWS Well-Architected Tool custom-lens JSON, schemaVersion 2021-11-01
)

// DetectKind tells the two formats apart: an AWS custom lens has schemaVersion and no format field.
func DetectKind(data []byte) Kind {
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var probe struct {
			SchemaVersion *string `json:"schemaVersion"`
			Format        *string `json:"format"`
		}
		if json.Unmarshal(data, &probe) == nil && probe.Format == nil && probe.SchemaVersion != nil {
			return KindAWS
		}
		if probe.Format == nil && bytes.Contains(data[:min(len(data), 4096)], []byte(`"schemaVersion"`)) {
			return KindAWS // malformed JSON that is clearly meant as a custom lens: report JSON errors, not YAML ones
		}
	}
	return KindWalens
}

// Options tune how a lens file is read.
type Options struct {
	// ID overrides the lens ID. Custom-lens JSON has no ID field, so one is derived from the file name unless set.
	ID string
}

// Parse reads a lens in either format. name is used in problem messages and to derive an ID for custom-lens JSON.
// On success it returns the lens and any warnings; on failure an error that is a diag.List when the input is at
// fault.
func Parse(data []byte, name string, opts Options) (*Lens, diag.List, error) {
	if len(data) > MaxFileBytes {
		return nil, nil, diag.List{{File: name, Message: fmt.Sprintf("file is %d bytes; lens files are limited to %d", len(data), MaxFileBytes)}}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var (
		l   *Lens
		pos diag.Positions
		err error
	)
	switch DetectKind(data) {
	case KindAWS:
		l, pos, err = parseAWS(data, name, opts)
	default:
		l, pos, err = parseWalens(data)
		if err == nil && opts.ID != "" {
			l.ID = opts.ID
		}
	}
	if err != nil {
		if list, ok := err.(diag.List); ok {
			list.Locate(name, pos)
			return nil, nil, list
		}
		return nil, nil, fmt.Errorf("read lens %s: %w", name, err)
	}
	l.Source = name
	problems := l.Validate()
	problems.Locate(name, pos)
	problems.Sort()
	if err := problems.Err(); err != nil {
		return nil, nil, err
	}
	return l, problems.Warnings(), nil
}

// LoadFile reads and validates a lens file of either format.
func LoadFile(path string, opts Options) (*Lens, diag.List, error) {
	data, err := readLimited(path, MaxFileBytes)
	if err != nil {
		return nil, nil, fmt.Errorf("load lens: %w", err)
	}
	return Parse(data, path, opts)
}

func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than the %d-byte limit for lens files", path, limit)
	}
	return data, nil
}

func parseWalens(data []byte) (*Lens, diag.Positions, error) {
	var l Lens
	doc, err := yamldoc.Decode(data, &l)
	if doc == nil {
		return nil, nil, err
	}
	if err != nil {
		return nil, doc.Pos, err
	}
	if l.Format == "" && doc.Pos != nil {
		if _, ok := doc.Pos["schemaVersion"]; ok {
			return nil, doc.Pos, diag.List{{Path: "schemaVersion", Message: "this looks like a custom-lens file written as YAML; walens reads custom lenses as JSON"}}
		}
	}
	return &l, doc.Pos, nil
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// SlugFromName derives a lens ID from a file name or lens name: "custom-lens-sagemaker-autogluon-v1.0.json" ->
// "custom-lens-sagemaker-autogluon-v1-0".
func SlugFromName(name string) string {
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	s := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(base), "-"), "-")
	if len(s) > 64 {
		s = strings.Trim(s[:64], "-")
	}
	if len(s) < 2 {
		s = "custom-lens"
	}
	return s
}
