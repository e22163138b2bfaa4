package evidence

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/walens/walens/internal/diag"
)

// Source reads one kind of infrastructure code into resources. Adding a kind of input means writing one package
// that implements Source and listing it where the scanner is built.
type Source interface {
	// Name identifies the source in reports: terraform, terraform-plan, cloudformation.
	Name() string
	// Match reports whether the source reads a file, judging by its path and its first bytes (up to HeadBytes;
	// head is nil for file types the scanner does not peek into, such as .tf).
	Match(path string, head []byte) bool
	// Units groups the files the source matched into units of work, which the scanner loads in parallel.
	Units(paths []string, opts *Options) []Unit
}

// Unit is one piece of work: a Terraform module with its child modules, or one template.
type Unit struct {
	// ID names the unit; resources' addresses are unique within it.
	ID   string
	Load func(ctx context.Context) *Loaded
}

// Loaded is what loading a unit produced.
type Loaded struct {
	Resources  []*Resource
	Files      []string // every file read
	Problems   diag.List
	Directives []Directive
}

// Options are the settings of a scan.
type Options struct {
	// PreferredRegions lists the Regions resources should run in (for example those with low-carbon electricity);
	// empty turns the region rule off.
	PreferredRegions []string
	// RequiredTags lists tag keys every AI resource must carry for cost allocation; empty means at least one tag.
	RequiredTags []string
	// Region is the Region assumed where the code does not say (CloudFormation templates never do).
	Region string
	// VarFiles are Terraform variable files applied to every root module, after the automatic ones.
	VarFiles []string
	// Vars are Terraform variables given on the command line; they win over files.
	Vars map[string]string
	// Parameters are CloudFormation parameter values; they win over defaults.
	Parameters map[string]string
	// Exclude lists glob patterns (** for any depth) of paths not to scan.
	Exclude []string
	// MaxFileBytes skips larger files with a warning; 0 means DefaultMaxFileBytes.
	MaxFileBytes int64
	// Suppressions is the suppression list, if any.
	Suppressions *SuppressionList
	// Now is the time suppressions' expiry is judged at; zero means time.Now.
	Now time.Time
	// Workers bounds parallelism; 0 means GOMAXPROCS.
	Workers int
	// BaseDirs are the directories code under scan may read files from (Terraform's file()); the scanner sets them
	// to the scan roots.
	BaseDirs []string
}

// DefaultMaxFileBytes is the largest file scanned unless Options say otherwise. Plans of large estates run to tens
// of megabytes; hand-written templates are far smaller.
const DefaultMaxFileBytes = 32 << 20

// HeadBytes is how much of a file the scanner reads to decide which source reads it.
const HeadBytes = 64 << 10

func (o *Options) maxBytes() int64 {
	if o == nil || o.MaxFileBytes <= 0 {
		return DefaultMaxFileBytes
	}
	return o.MaxFileBytes
}

// Excluded reports whether a path matches one of the exclude patterns. A pattern without a slash matches a file or
// directory name at any depth, as in .gitignore; sources that list directories themselves (Terraform modules) use
// it too.
func (o *Options) Excluded(path string) bool {
	if o == nil {
		return false
	}
	slash := filepath.ToSlash(path)
	for _, p := range o.Exclude {
		if ok, _ := doublestar.Match(p, slash); ok {
			return true
		}
		if !strings.Contains(p, "/") {
			if ok, _ := doublestar.Match(p, filepath.Base(slash)); ok {
				return true
			}
		}
	}
	return false
}

// ReadFile reads a file for a source, applying the size limit and refusing binary content. A file that cannot be
// used comes back as a problem: a warning for files skipped by policy, an error for files that could not be read.
func ReadFile(path string, opts *Options) ([]byte, *diag.Problem) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &diag.Problem{File: path, Message: fmt.Sprintf("cannot read: %v", unwrapPath(err)), Severity: diag.Error}
	}
	defer f.Close()
	limit := opts.maxBytes()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, &diag.Problem{File: path, Message: fmt.Sprintf("cannot read: %v", unwrapPath(err)), Severity: diag.Error}
	}
	if int64(len(data)) > limit {
		return nil, &diag.Problem{File: path, Message: fmt.Sprintf("skipped: larger than the %d-byte limit (raise it with --max-file-size)", limit), Severity: diag.Warning}
	}
	if isBinary(data) {
		return nil, &diag.Problem{File: path, Message: "skipped: binary content", Severity: diag.Warning}
	}
	return data, nil
}

// isBinary treats a NUL byte early in a file as the mark of binary content, as git and grep do.
func isBinary(data []byte) bool {
	if len(data) > 8000 {
		data = data[:8000]
	}
	return bytes.IndexByte(data, 0) >= 0
}

// unwrapPath drops the path from an *os.PathError, which messages already name.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
