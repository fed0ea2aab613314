package progress

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

const mb = 1_000_000

// renderCases are the moments of a run the golden file shows, each at
// several widths.
var renderCases = []struct {
	name    string
	s       Snapshot
	elapsed time.Duration
	widths  []int
}{
	{"start: nothing listed yet", Snapshot{}, 0, []int{80}},
	{"zero totals, listing done", Snapshot{ListingDone: true}, 3 * time.Second, []int{80}},
	{"listing in progress, nothing read", Snapshot{FilesListed: 120, BytesListed: 310 * mb}, time.Second, []int{80}},
	{"listing in progress, reading", Snapshot{
		FilesListed: 412, BytesListed: 1_204_500_000,
		FilesDone: 97, BytesDone: 280_100_000, Events: 61_250,
	}, 4 * time.Second, []int{120, 80, 60, 40, 20}},
	{"halfway", Snapshot{
		FilesListed: 1030, BytesListed: 3_010_200_000, ListingDone: true,
		FilesDone: 515, BytesDone: 1_505_100_000, Events: 2_615_500,
	}, 50 * time.Second, []int{200, 120, 100, 80, 72, 60, 50, 40, 30, 20, 10, 2, 1, 0}},
	{"done", Snapshot{
		FilesListed: 1030, BytesListed: 3_010_200_000, ListingDone: true,
		FilesDone: 1030, BytesDone: 3_010_200_000, Events: 5_231_000,
	}, 100 * time.Second, []int{80, 40}},
	{"files without sizes", Snapshot{
		FilesListed: 8, ListingDone: true, FilesDone: 2, Events: 40,
	}, 2 * time.Second, []int{80}},
	{"slow start: hours left", Snapshot{
		FilesListed: 50_000, BytesListed: 90_000 * mb, ListingDone: true,
		FilesDone: 12, BytesDone: 21 * mb, Events: 900,
	}, 9 * time.Second, []int{80}},
	{"beyond 99 hours", Snapshot{
		FilesListed: 50_000, BytesListed: 900_000 * mb, ListingDone: true,
		FilesDone: 1, BytesDone: 1 * mb, Events: 9,
	}, 9 * time.Second, []int{80}},
	{"huge numbers", Snapshot{
		FilesListed: 48_210_337, BytesListed: 91_500_000_000_000,
		FilesDone: 12_004_998, BytesDone: 22_874_999_999_999, Events: 9_876_543_210_987,
	}, 26 * time.Hour, []int{160, 120, 80, 40, 20}},
}

func TestRenderGolden(t *testing.T) {
	var out bytes.Buffer
	for _, tc := range renderCases {
		for _, width := range tc.widths {
			fmt.Fprintf(&out, "%s, %v in, width %d:\n|%s|\n", tc.name, tc.elapsed, width, Render(tc.s, tc.elapsed, width))
		}
	}
	checkGolden(t, "render.golden", out.Bytes())
}

// TestRenderFits checks every moment at every width from 0 to 200: the line
// never reaches the last column, and the file counts stay whenever they fit.
func TestRenderFits(t *testing.T) {
	for _, tc := range renderCases {
		t.Run(tc.name, func(t *testing.T) {
			full := Render(tc.s, tc.elapsed, 1000)
			files, _, _ := strings.Cut(full, gap)
			for width := 0; width <= 200; width++ {
				line := Render(tc.s, tc.elapsed, width)
				if len(line) > max(width-1, 0) {
					t.Errorf("width %d: %d columns: %q", width, len(line), line)
				}
				if len(files) < width && !strings.HasPrefix(line, files) {
					t.Errorf("width %d: %q lost the file counts %q", width, line, files)
				}
			}
		})
	}
}

func TestRenderPieces(t *testing.T) {
	for _, tc := range []struct {
		name, got, want string
	}{
		{"no bytes", megabytes(0), "0.0"},
		{"rounds to tenths", megabytes(1_249_999), "1.2"},
		{"rounds up to tenths", megabytes(1_250_000), "1.3"},
		{"just below a thousand", megabytes(999_940_000), "999.9"},
		{"rounds up to a thousand", megabytes(999_950_000), "1,000"},
		{"whole megabytes above", megabytes(3_010_600_000), "3,011"},
		{"negative is none", megabytes(-5), "0.0"},
		{"seconds", duration(59), "59s"},
		{"minutes", duration(65), "1m05s"},
		{"hours", duration(2*3600 + 3*60 + 59), "2h03m"},
		{"a little left is not done", remaining(Snapshot{
			FilesListed: 2, BytesListed: 1000, ListingDone: true, FilesDone: 1, BytesDone: 999,
		}, time.Second, ""), "1s"},
		{"no time, no rate", eventRate(500, 0), "0 events/s"},
		{"rate", eventRate(1_500_000, 2*time.Second), "750,000 events/s"},
		{"empty bar", bar(0, 10), "[----------]"},
		{"bar not full until done", bar(0.999, 10), "[#########-]"},
		{"full bar", bar(1, 10), "[##########]"},
		{"fraction by files without sizes", fmt.Sprint(fraction(Snapshot{FilesListed: 4, FilesDone: 1})), "0.25"},
		{"fraction clamped", fmt.Sprint(fraction(Snapshot{BytesListed: 1, BytesDone: 2})), "1"},
		{"fraction of nothing", fmt.Sprint(fraction(Snapshot{})), "0"},
		{"largest count", count(math.MaxInt64), "9,223,372,036,854,775,807"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it); got:\n%s", path, got)
	}
}
