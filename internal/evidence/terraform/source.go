// Package terraform reads Terraform configurations (.tf and .tf.json) into resources for the evidence scanner. It
// evaluates what can be known without running Terraform: variables from defaults and .tfvars files, locals, local
// modules, count and for_each with known values, dynamic blocks, and references between resources. Anything that
// depends on state, data sources or values computed at apply time stays unknown.
package terraform

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/walens/walens/internal/evidence"
)

// Source is the Terraform source of the evidence scanner.
type Source struct{}

// Name implements evidence.Source.
func (Source) Name() string { return "terraform" }

// Match implements evidence.Source: .tf and .tf.json files.
func (Source) Match(path string, _ []byte) bool {
	name := strings.ToLower(filepath.Base(path))
	return strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json")
}

// Units implements evidence.Source. Terraform's unit is a root module: a directory of .tf files that no other
// scanned directory calls as a local module. Modules called by a root are evaluated as part of it, with the values
// the root passes, so their resources are not reported twice or judged without their inputs.
func (Source) Units(paths []string, opts *evidence.Options) []evidence.Unit {
	dirs := map[string]bool{}
	for _, p := range paths {
		dirs[filepath.Clean(filepath.Dir(p))] = true
	}
	called := map[string][]string{} // dir -> local module dirs it calls
	for dir := range dirs {
		called[dir] = localModuleDirs(dir)
	}
	isChild := map[string]bool{}
	for dir, children := range called {
		for _, c := range children {
			if c != dir && dirs[c] {
				isChild[c] = true
			}
		}
	}
	var roots []string
	for dir := range dirs {
		if !isChild[dir] {
			roots = append(roots, dir)
		}
	}
	// Directories that call each other in a circle have no root; evaluate any directory no root reaches as a root
	// of its own, so that nothing the user asked to scan is silently dropped.
	reached := map[string]bool{}
	var reach func(string)
	reach = func(d string) {
		if reached[d] {
			return
		}
		reached[d] = true
		for _, c := range called[d] {
			reach(c)
		}
	}
	for _, r := range roots {
		reach(r)
	}
	for dir := range dirs {
		if !reached[dir] {
			roots = append(roots, dir)
			reach(dir)
		}
	}
	sort.Strings(roots)
	units := make([]evidence.Unit, 0, len(roots))
	for _, dir := range roots {
		units = append(units, evidence.Unit{ID: dir, Load: func(ctx context.Context) *evidence.Loaded {
			return loadRoot(ctx, dir, opts)
		}})
	}
	return units
}

// moduleSourceRE finds local module sources in native syntax (source = "./x") and JSON ("source": "../x").
var moduleSourceRE = regexp.MustCompile(`"?source"?\s*[=:]\s*"(\.\.?/[^"]*)"`)

// localModuleDirs finds the local directories a module directory calls, by a quick look at its files rather than a
// full parse: it only decides which directories are roots, and loading re-reads them properly.
func localModuleDirs(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() || !(Source{}).Match(e.Name(), nil) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil || !bytes.Contains(data, []byte("module")) {
			continue
		}
		for _, m := range moduleSourceRE.FindAllSubmatch(data, -1) {
			out = append(out, filepath.Clean(filepath.Join(dir, string(m[1]))))
		}
	}
	return out
}
