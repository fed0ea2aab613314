package words

import "testing"

func TestWords(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Count(1, "event maps", "events map"), "1 event maps"},
		{Count(3, "event maps", "events map"), "3 events map"},
		{Count(0, "call", "calls"), "0 calls"},
		{Nouns(1, "action"), "1 action"},
		{Nouns(22091, "action"), "22,091 actions"},
		{Pick(1, "is", "are"), "is"},
		{Pick(2, "is", "are"), "are"},
		{Thousands(1234567), "1,234,567"},
		{Thousands(-1234), "-1,234"},
		{Thousands(999), "999"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
