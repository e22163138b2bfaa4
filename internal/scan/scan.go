// Package scan assembles the evidence scanner from its parts, the sources and the rule catalogue, for walens scan
// and for reviews whose workload file names infrastructure code as evidence.
package scan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/walens/walens/internal/evidence"
	"github.com/walens/walens/internal/evidence/cloudformation"
	"github.com/walens/walens/internal/evidence/rules"
	"github.com/walens/walens/internal/evidence/terraform"
	"github.com/walens/walens/internal/evidence/tfplan"
	"github.com/walens/walens/internal/evidence/walensconfig"
	"github.com/walens/walens/internal/review"
)

// Sources are the sources every scan reads, in the order they are offered each file. A new kind of input is one
// package implementing evidence.Source, added here.
func Sources() []evidence.Source {
	return []evidence.Source{terraform.Source{}, tfplan.Source{}, cloudformation.Source{}, walensconfig.Source{}}
}

// Settings are what a user can set about a scan, from flags or a workload file's evidence section.
type Settings struct {
	VarFiles         []string
	Vars             []string // NAME=VALUE, Terraform variables
	Parameters       []string // NAME=VALUE, CloudFormation parameters
	Region           string
	PreferredRegions []string
	RequiredTags     []string
	Exclude          []string
	Suppressions     string // a suppression list file
	MaxFileSize      string // 32MiB; empty for the default
	Only, Skip       []string
	Now              time.Time
}

// ErrUsage marks settings that are wrong, as opposed to a scan that failed.
var ErrUsage = errors.New("invalid scan settings")

// New builds a scanner from settings.
func New(s Settings) (*evidence.Scanner, error) {
	rs, err := rules.Select(rules.All(), s.Only, s.Skip)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUsage, err)
	}
	var maxBytes int64
	if s.MaxFileSize != "" {
		if maxBytes, err = ParseSize(s.MaxFileSize); err != nil {
			return nil, fmt.Errorf("%w: max file size: %v", ErrUsage, err)
		}
	}
	vars, err := Pairs("variable", s.Vars)
	if err != nil {
		return nil, err
	}
	params, err := Pairs("parameter", s.Parameters)
	if err != nil {
		return nil, err
	}
	opts := evidence.Options{
		PreferredRegions: s.PreferredRegions,
		RequiredTags:     s.RequiredTags,
		Region:           s.Region,
		VarFiles:         s.VarFiles,
		Vars:             vars,
		Parameters:       params,
		Exclude:          s.Exclude,
		MaxFileBytes:     maxBytes,
		Now:              s.Now,
	}
	if s.Suppressions != "" {
		l, err := evidence.LoadSuppressions(s.Suppressions)
		if err != nil {
			return nil, err
		}
		opts.Suppressions = l
	}
	return &evidence.Scanner{Sources: Sources(), Rules: rs, Options: opts}, nil
}

// Pairs reads NAME=VALUE arguments (Terraform variables, CloudFormation parameters); what names them in errors.
func Pairs(what string, args []string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range args {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%w: %s %q must be NAME=VALUE", ErrUsage, what, kv)
		}
		out[k] = v
	}
	return out, nil
}

// ParseSize reads 1048576, 64KiB, 32MiB or 1GiB (KB, MB and GB are read as the binary units too).
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(strings.ToUpper(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.m
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > 1<<40/mult {
		return 0, fmt.Errorf("%q is not a size like 32MiB", s)
	}
	return n * mult, nil
}

// ForReview scans the code a review's workload file names in its evidence section, plus extra paths, with the
// section's settings. Paths in the workload file are relative to it. It returns nil when there is nothing to scan.
// progress, when set, receives the scanner's progress.
func ForReview(ctx context.Context, r *review.Review, extra []string, now time.Time, progress func(done, total int)) (*evidence.Report, error) {
	var paths []string
	s := Settings{Now: now}
	if cfg := r.File.Evidence; cfg != nil {
		for _, p := range cfg.Paths {
			paths = append(paths, relTo(r.Dir(), p))
		}
		for _, v := range cfg.VarFiles {
			s.VarFiles = append(s.VarFiles, relTo(r.Dir(), v))
		}
		for _, e := range cfg.Exclude {
			// A pattern with a directory part is relative to the workload file, like the paths.
			if strings.Contains(e, "/") && !strings.HasPrefix(e, "**") && !strings.HasPrefix(e, "/") {
				e = filepath.ToSlash(filepath.Join(r.Dir(), e))
			}
			s.Exclude = append(s.Exclude, e)
		}
		if cfg.Suppressions != "" {
			s.Suppressions = relTo(r.Dir(), cfg.Suppressions)
		}
		s.PreferredRegions, s.RequiredTags, s.Region = cfg.PreferredRegions, cfg.RequiredTags, cfg.Region
		for k, v := range cfg.Parameters {
			s.Parameters = append(s.Parameters, k+"="+v)
		}
	}
	paths = append(paths, extra...)
	if len(paths) == 0 {
		return nil, nil
	}
	if s.Region == "" && len(r.File.Workload.Regions) == 1 {
		s.Region = r.File.Workload.Regions[0]
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("%w: evidence path %s: %v", ErrUsage, p, errors.Unwrap(err))
		}
	}
	sc, err := New(s)
	if err != nil {
		return nil, err
	}
	sc.Progress = progress
	rep, err := sc.Scan(ctx, paths)
	if err != nil {
		return nil, fmt.Errorf("scan evidence: %w", err)
	}
	return rep, nil
}

func relTo(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}
