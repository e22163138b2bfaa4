// Package lenses embeds the walens lens catalogue: one YAML file per lens, in the format described in
// docs/lens-format.md.
package lenses

import "embed"

// FS holds the catalogue files.
//
//go:embed *.yaml
var FS embed.FS
