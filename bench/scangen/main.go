// Command scangen writes the synthetic infrastructure-code corpus that bench/scan.sh scans.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/walens/walens/internal/scan/corpus"
)

func main() {
	dir := flag.String("dir", "", "directory to write the corpus into (must not exist yet)")
	size := corpus.Full
	flag.IntVar(&size.TerraformFiles, "tf-files", size.TerraformFiles, "Terraform files")
	flag.IntVar(&size.ResourcesPerFile, "resources-per-file", size.ResourcesPerFile, "resource blocks per Terraform file")
	flag.IntVar(&size.Templates, "templates", size.Templates, "CloudFormation templates")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "scangen: -dir is required")
		os.Exit(2)
	}
	if _, err := os.Stat(*dir); err == nil {
		fmt.Fprintf(os.Stderr, "scangen: %s already exists\n", *dir)
		os.Exit(2)
	}
	st, err := corpus.Generate(*dir, size)
	if err != nil {
		fmt.Fprintf(os.Stderr, "scangen: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d Terraform files (%d resource blocks) and %d CloudFormation templates (%d resources), %.1f MB, to %s\n",
		st.TerraformFiles, st.TerraformResources, st.Templates, st.TemplateResources, float64(st.Bytes)/1e6, *dir)
}
