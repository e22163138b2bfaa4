// Package cli wires the walens subcommands to the packages that do the work. It parses flags, loads inputs,
// calls the library code and maps outcomes to exit codes; it holds no review logic of its own.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/walens/walens/internal/atomicfile"
	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/lens"
	"github.com/walens/walens/lenses"
)

// Exit codes. CI scripts depend on them; do not renumber.
const (
	ExitOK      = 0 // success
	ExitFailed  = 1 // a gate failed: risks found by "review check", invalid lenses in "lens validate"
	ExitInvalid = 2 // bad input or usage: the command could not do its job
)

// IO is the process environment a command runs in. Tests supply their own.
type IO struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads environment variables (NO_COLOR, WALENS_*); nil means none are set.
	Getenv func(string) string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Version is the walens version printed by "walens version" and stamped into reports.
	Version string
}

// app carries what every command needs.
type app struct {
	io      IO
	catalog *lens.Catalog
	color   string // auto, always or never
}

// exitError carries an exit code through cobra. A nil err means the command already reported what happened.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError marks mistakes in how the command was called.
func usageError(format string, args ...any) error {
	return &exitError{code: ExitInvalid, err: fmt.Errorf(format, args...)}
}

// Run executes walens with the given arguments and returns the exit code.
func Run(ctx context.Context, args []string, stdio IO) int {
	if stdio.Getenv == nil {
		stdio.Getenv = func(string) string { return "" }
	}
	if stdio.Now == nil {
		stdio.Now = time.Now
	}
	if stdio.Stdin == nil {
		stdio.Stdin = strings.NewReader("")
	}
	cat, err := lens.NewCatalog(lenses.FS)
	if err != nil {
		fmt.Fprintf(stdio.Stderr, "walens: %v\n", err)
		return ExitInvalid
	}
	a := &app{io: stdio, catalog: cat}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdio.Stdin)
	root.SetOut(stdio.Stdout)
	root.SetErr(stdio.Stderr)
	err = root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	code := ExitInvalid
	if errors.As(err, &ee) {
		code = ee.code
		err = ee.err
	}
	if err != nil {
		reportError(stdio.Stderr, err)
	}
	return code
}

// reportError prints an error; a list of located problems gets one line each.
func reportError(w io.Writer, err error) {
	var list diag.List
	if errors.As(err, &list) {
		prefix := strings.TrimSuffix(err.Error(), list.Error())
		if prefix != "" {
			fmt.Fprintf(w, "walens: %s\n", strings.TrimRight(prefix, ": \n"))
		}
		for _, p := range list {
			fmt.Fprintf(w, "  %s\n", p)
		}
		fmt.Fprintf(w, "walens: %s\n", plural(len(list.Errors()), "error", "errors"))
		return
	}
	fmt.Fprintf(w, "walens: %v\n", err)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "walens",
		Short: "Make the AWS Well-Architected lenses for AI executable",
		Long: `walens keeps Well-Architected reviews of AI workloads as code: a lens catalogue (machine learning,
generative AI, responsible AI, sustainability, agentic AI), answers in a workload file, risks, improvement
plans, milestones and reports, and a CI gate.`,
		Example: `  walens review init --name fraud-scoring --lens machine-learning,responsible-ai
  walens review answer
  walens review
  walens review plan
  walens review check --fail-on high`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       a.io.Version,
	}
	root.PersistentFlags().StringVar(&a.color, "color", "auto", "colour terminal output: auto (only on a terminal), always or never")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: ExitInvalid, err: fmt.Errorf("%w (run '%s --help' for usage)", err, c.CommandPath())}
	})
	root.AddCommand(a.reviewCommand(), a.scanCommand(), a.monitorCommand(), a.lensCommand(), a.versionCommand())
	root.AddCommand(a.guardCommand(), a.gatewayCommand())
	root.CompletionOptions.HiddenDefaultCmd = true
	return root
}

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the walens version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "walens %s\n", a.io.Version)
			return err
		},
	}
}

// useColor decides on ANSI colour: never when NO_COLOR is set or output is not a terminal, unless forced.
func (a *app) useColor(w io.Writer) bool {
	switch a.color {
	case "always":
		return true
	case "never":
		return false
	}
	if a.io.Getenv("NO_COLOR") != "" || a.io.Getenv("TERM") == "dumb" {
		return false
	}
	return isTerminal(w)
}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func (a *app) checkColorFlag() error {
	switch a.color {
	case "auto", "always", "never":
		return nil
	}
	return usageError("--color must be auto, always or never, not %q", a.color)
}

// output opens the destination of a report: stdout, or a file written atomically when the command finishes.
type output struct {
	w    io.Writer
	path string
	buf  *strings.Builder
}

func (a *app) openOutput(path string) *output {
	if path == "" || path == "-" {
		return &output{w: a.io.Stdout}
	}
	b := &strings.Builder{}
	return &output{w: b, path: path, buf: b}
}

func (o *output) close(stderr io.Writer) error {
	if o.path == "" {
		return nil
	}
	if err := atomicfile.WriteFile(o.path, []byte(o.buf.String()), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s\n", o.path)
	return nil
}

func checkFormat(format string, allowed ...string) error {
	for _, f := range allowed {
		if f == format {
			return nil
		}
	}
	return choiceError("--format", format, allowed)
}

// choiceError reports a flag value that is not one of the allowed ones, with the closest as a suggestion.
func choiceError(flag, v string, allowed []string) error {
	msg := fmt.Sprintf("%s must be one of %s, not %q", flag, strings.Join(allowed, ", "), v)
	if s := diag.Closest(v, allowed); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return usageError("%s", msg)
}
