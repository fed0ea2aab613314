package pipeline

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseTime reads --since and --until values: an RFC 3339 time, a
// YYYY-MM-DD date (UTC midnight), or an age before now such as 30d, 12h or
// 90m. The empty string is the zero time.
func ParseTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.UTC(), nil
	}
	if len(s) >= 2 {
		n, err := strconv.Atoi(s[:len(s)-1])
		if err == nil && n >= 0 {
			var unit time.Duration
			switch s[len(s)-1] {
			case 'd':
				unit = 24 * time.Hour
			case 'h':
				unit = time.Hour
			case 'm':
				unit = time.Minute
			}
			if unit != 0 {
				return now.Add(-time.Duration(n) * unit).UTC(), nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("time %q: want RFC 3339 (2026-11-01T00:00:00Z), a date (2026-11-01) or an age (30d, 12h)", s)
}
