// Package cloudformation reads AWS CloudFormation templates, in YAML or JSON and including AWS SAM templates, into
// resources for the evidence scanner.
//
// A template is evaluated statically, as far as that can be done without deploying it: parameters take their
// defaults, pseudo parameters the Region given in the options, Fn::FindInMap reads Mappings, Conditions decide
// which resources exist and which Fn::If branch applies, and Fn::Sub, Fn::Join, Fn::Select, Fn::Split and
// Fn::Base64 are computed. What depends on the deployment (a parameter without a default, another resource's
// identifier, an imported value) becomes an unknown value that says why; references to other resources are kept on
// the values built from them, so rules can follow them.
//
// Resources are reported under the Terraform AWS provider's type names and argument names (see types.go), so that
// one rule reads Terraform and CloudFormation alike.
package cloudformation

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/walens/walens/internal/evidence"
)

// Source is the CloudFormation source of the evidence scanner.
type Source struct{}

// Name implements evidence.Source.
func (Source) Name() string { return "cloudformation" }

// Match implements evidence.Source: YAML, JSON and .template files whose first bytes look like a CloudFormation
// template (see looksLikeTemplate).
func (Source) Match(path string, head []byte) bool {
	name := strings.ToLower(filepath.Base(path))
	if strings.HasSuffix(name, ".tf.json") {
		return false
	}
	switch filepath.Ext(name) {
	case ".yaml", ".yml", ".template", ".json":
		return looksLikeTemplate(head)
	}
	return false
}

// Units implements evidence.Source: each template is a unit of its own, as CloudFormation deploys each as a stack.
func (Source) Units(paths []string, opts *evidence.Options) []evidence.Unit {
	units := make([]evidence.Unit, 0, len(paths))
	for _, p := range paths {
		units = append(units, evidence.Unit{ID: p, Load: func(ctx context.Context) *evidence.Loaded {
			return load(ctx, p, opts)
		}})
	}
	return units
}

// load reads one template file. A file that cannot be read, or is skipped by policy (too large, binary), yields the
// problem ReadFile reports and nothing else.
func load(ctx context.Context, path string, opts *evidence.Options) *evidence.Loaded {
	out := &evidence.Loaded{}
	data, p := evidence.ReadFile(path, opts)
	if p != nil {
		out.Problems = append(out.Problems, *p)
		return out
	}
	out.Files = []string{path}
	loadTemplate(ctx, path, data, opts, out)
	return out
}
