package report

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// chromiumPath finds a headless-capable Chromium: $WALENS_CHROMIUM, or a browser on PATH.
func chromiumPath() string {
	if p := os.Getenv("WALENS_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// screenshot renders an HTML file in headless Chromium and returns the PNG.
func screenshot(t *testing.T, htmlPath string, width, height int) image.Image {
	t.Helper()
	bin := chromiumPath()
	if bin == "" {
		t.Skip("headless Chromium not found (install the chromium package or set WALENS_CHROMIUM); skipping the screenshot test")
	}
	out := filepath.Join(t.TempDir(), "shot.png")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	// Flags as for a sandboxed CI machine: no GPU, no network chatter, a throwaway profile.
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir="+t.TempDir(), "--force-device-scale-factor=1",
		"--window-size="+strconv.Itoa(width)+","+strconv.Itoa(height), "--screenshot="+out, "file://"+htmlPath)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(filepath.Join(repoRoot, "docs", "images", "report-"+filepath.Base(filepath.Dir(htmlPath))+".png"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return img
}

// near reports whether a pixel is within tol of an RGB colour on every channel.
func near(img image.Image, x, y int, rgb [3]uint8, tol int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	d := func(a uint32, want uint8) bool {
		v := int(a>>8) - int(want)
		return v >= -tol && v <= tol
	}
	return d(r, rgb[0]) && d(g, rgb[1]) && d(b, rgb[2])
}

func countColour(img image.Image, rgb [3]uint8) int {
	n := 0
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			if near(img, x, y, rgb, 6) {
				n++
			}
		}
	}
	return n
}

// TestHTMLScreenshot looks at the HTML report the way a person would: rendered by a real browser. It checks that
// the page is laid out (the header band is there), and that the risk chart and heat map actually draw their
// colours; a broken stylesheet or SVG shows up as missing colour, not as a test that silently passes.
func TestHTMLScreenshot(t *testing.T) {
	for _, name := range examples {
		t.Run(name, func(t *testing.T) {
			_, res, plan := loadExample(t, name)
			dir := filepath.Join(t.TempDir(), name)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "report.html")
			var b bytes.Buffer
			if err := HTML(&b, res, plan, meta); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			const w, h = 1280, 1800
			img := screenshot(t, path, w, h)
			if img.Bounds().Dx() != w || img.Bounds().Dy() != h {
				t.Fatalf("screenshot is %v, want %dx%d", img.Bounds(), w, h)
			}
			if !near(img, 5, 5, [3]uint8{0x17, 0x23, 0x3b}, 4) {
				t.Error("the header band is not drawn: the stylesheet did not apply")
			}
			colours := map[string][3]uint8{
				"high (red)":      {0xd9, 0x30, 0x25},
				"medium (amber)":  {0xf2, 0x99, 0x00},
				"no risk (green)": {0x1e, 0x8e, 0x3e},
			}
			for label, rgb := range colours {
				// Cards, chart bars and heat-map dots each contribute; a few hundred pixels means they rendered.
				if n := countColour(img, rgb); n < 400 {
					t.Errorf("only %d pixels of %s in the first screen: the chart or heat map did not render", n, label)
				}
			}
		})
	}
}
